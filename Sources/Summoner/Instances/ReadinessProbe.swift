/// Tells when a booting guest can serve. The skeleton's real probe watches the serial log
/// (`SerialLogReadiness`); the network probe (the guest's ready datagram) comes with GuestStack's
/// network stack. Tests use a fake they trigger by hand.
public protocol ReadinessProbe: Sendable {
    /// Returns once the instance is ready. Throws `CancellationError` when the task is cancelled
    /// (the boot timed out or the instance is being stopped).
    func waitUntilReady(instanceID: String, serialLogPath: String) async throws
}

import GuestStack

/// Tells when a booting guest can serve. Real probes: the guest's ready datagram
/// (`AnnouncementReadiness`) and its serial log (`SerialLogReadiness`), raced by
/// `FirstReadiness`. Tests use a fake they trigger by hand.
public protocol ReadinessProbe: Sendable {
    /// Returns once the instance is ready. Throws `CancellationError` when the task is cancelled
    /// (the boot timed out or the instance is being stopped).
    func waitUntilReady(_ target: ReadinessTarget) async throws
}

/// The guest a probe waits for.
public struct ReadinessTarget: Sendable, Equatable {
    public var instanceID: String
    /// The guest's address: a ready datagram from any other source is ignored.
    public var address: IPv4Address
    public var serialLogPath: String

    public init(instanceID: String, address: IPv4Address, serialLogPath: String) {
        self.instanceID = instanceID
        self.address = address
        self.serialLogPath = serialLogPath
    }
}

/// Ready as soon as any of its probes says so; the others are cancelled.
public struct FirstReadiness: ReadinessProbe {
    public var probes: [any ReadinessProbe]

    public init(_ probes: [any ReadinessProbe]) { self.probes = probes }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for probe in probes { group.addTask { try await probe.waitUntilReady(target) } }
            defer { group.cancelAll() }
            // The first probe to finish decides; a probe that fails on its own is not readiness.
            while let result = await group.nextResult() {
                if case .success = result { return }
                try Task.checkCancellation()
            }
            throw CancellationError()
        }
    }
}

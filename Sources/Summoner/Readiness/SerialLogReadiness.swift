import GuestStack

/// Readiness from the serial log: the guest prints `READY <instance-id>` on COM1, which libvirt
/// writes to a file. Polls the file, reading only what was appended; a boot is tens of
/// milliseconds, so a short interval matters more than the few reads it costs.
public struct SerialLogReadiness: ReadinessProbe {
    public var pollInterval: Duration

    public init(pollInterval: Duration = .milliseconds(2)) { self.pollInterval = pollInterval }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        let reader = GrowingFileReader(path: target.serialLogPath)
        var scanner = ReadyLineScanner(expected: ReadyLine.text(instanceID: target.instanceID))
        while true {
            try Task.checkCancellation()
            let (bytes, restarted) = reader.readAppended()
            if restarted { scanner.reset() }
            if scanner.feed(bytes) { return }
            try await Task.sleep(for: pollInterval)
        }
    }
}

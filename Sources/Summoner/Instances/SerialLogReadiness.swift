import Foundation
import GuestStack

/// Readiness from the serial log: the guest prints `READY <instance-id>` on COM1, which libvirt
/// writes to a file. Polls the file; a boot is tens of milliseconds, so a short interval matters
/// more than the few reads it costs.
public struct SerialLogReadiness: ReadinessProbe {
    public var pollInterval: Duration

    public init(pollInterval: Duration = .milliseconds(2)) { self.pollInterval = pollInterval }

    public func waitUntilReady(instanceID: String, serialLogPath: String) async throws {
        let expected = ReadyLine.text(instanceID: instanceID)
        while true {
            try Task.checkCancellation()
            if let data = FileManager.default.contents(atPath: serialLogPath),
                Self.containsReadyLine(String(decoding: data, as: UTF8.self), expected: expected)
            {
                return
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// True when a complete (newline-terminated) line of `log` is exactly `expected`, ignoring a
    /// trailing CR. An unterminated last line may still grow (`READY hello-1` into `READY hello-12`).
    static func containsReadyLine(_ log: String, expected: String) -> Bool {
        log.split(separator: "\n", omittingEmptySubsequences: false).dropLast().contains { line in
            (line.hasSuffix("\r") ? line.dropLast() : line) == expected
        }
    }
}

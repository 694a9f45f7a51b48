import Foundation
import GuestStack

/// Readiness from the serial log: the guest prints `READY <instance-id>` on COM1, which libvirt
/// writes to a file. Polls the file; a boot is tens of milliseconds, so a short interval matters
/// more than the few reads it costs.
public struct SerialLogReadiness: ReadinessProbe {
    public var pollInterval: Duration

    public init(pollInterval: Duration = .milliseconds(2)) { self.pollInterval = pollInterval }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        let expected = ReadyLine.text(instanceID: target.instanceID)
        while true {
            try Task.checkCancellation()
            if let data = FileManager.default.contents(atPath: target.serialLogPath),
                Self.containsReadyLine(String(decoding: data, as: UTF8.self), expected: expected)
            {
                return
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// True when a complete (newline-terminated) line of `log` is exactly `expected`, ignoring a
    /// trailing CR. An unterminated last line may still grow (`READY hello-1` into `READY hello-12`).
    /// Works on bytes: as a Swift String, "\r\n" is one character and would not split on "\n".
    static func containsReadyLine(_ log: String, expected: String) -> Bool {
        let want = Array(expected.utf8)
        let lines = Array(log.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        return lines.contains { line in
            Array(line.last == UInt8(ascii: "\r") ? line.dropLast() : line) == want
        }
    }
}

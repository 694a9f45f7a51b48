import Foundation
import GuestStack

/// Readiness by connecting: the guest serves once a TCP connection to its port succeeds.
/// Tries every `retryInterval`, each attempt bounded by `attemptTimeout`, until cancelled.
public struct TCPPortReadiness: ReadinessProbe {
    public var retryInterval: Duration
    public var attemptTimeout: Duration

    public init(retryInterval: Duration = .milliseconds(2), attemptTimeout: Duration = .milliseconds(100)) {
        self.retryInterval = retryInterval
        self.attemptTimeout = attemptTimeout
    }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        guard case .tcp(let port) = target.mode else { return }
        while true {
            try Task.checkCancellation()
            if Self.connects(to: target.address, port: port, timeout: attemptTimeout) { return }
            try await Task.sleep(for: retryInterval)
        }
    }

    /// One non-blocking connect, waited for with poll(2); true when it completed.
    static func connects(to address: IPv4Address, port: UInt16, timeout: Duration) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = address.value.bigEndian
        let started = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, milliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}

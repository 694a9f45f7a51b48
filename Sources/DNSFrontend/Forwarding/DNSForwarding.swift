import NIOCore

/// Optional forwarding (off unless configured): queries for names outside the zone, from
/// clients in `allowed`, are relayed over UDP to `upstream`; everyone else gets REFUSED, so the
/// server is never an open resolver.
public struct DNSForwarding: Sendable, Equatable {
    /// The resolver that answers forwarded queries.
    public var upstream: DNSListenAddress
    /// The client networks that may use it.
    public var allowed: [DNSClientNetwork]
    /// How long to wait for the upstream before answering SERVFAIL.
    public var timeout: Duration

    /// Creates forwarding settings.
    public init(upstream: DNSListenAddress, allowed: [DNSClientNetwork], timeout: Duration = .seconds(2)) {
        self.upstream = upstream
        self.allowed = allowed
        self.timeout = timeout
    }

    /// True if `client` may have its out-of-zone queries forwarded.
    public func allows(_ client: SocketAddress?) -> Bool {
        guard let client else { return false }
        return allowed.contains { $0.contains(client) }
    }
}

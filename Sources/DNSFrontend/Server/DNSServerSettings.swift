import NIOCore

/// A host and port to serve DNS on, over both UDP and TCP.
public struct DNSListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 or IPv6 address in text form, without brackets: `127.0.0.1`, `::1`.
    public var host: String
    /// The UDP and TCP port.
    public var port: Int

    /// Creates an address to listen on.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:5353`, or `[::1]:5353` for IPv6.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The socket address. An IP literal is used as it is: resolving it would go through
    /// getaddrinfo's AI_ADDRCONFIG, which refuses `::1` on a host (or network namespace) whose
    /// only IPv6 address is the loopback's.
    public func socketAddress() throws -> SocketAddress {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return literal }
        return try SocketAddress.makeAddressResolvingHost(host, port: port)
    }
}

/// Limits of the TCP transport (RFC 7766).
public struct DNSTCPSettings: Sendable, Equatable {
    /// A connection with no traffic and no outstanding query for this long is closed.
    public var idleTimeout: Duration
    /// Most TCP connections open at once across all listeners; more are closed on accept.
    public var maxConnections: Int
    /// Most queries of one connection waiting for the provider at once; beyond that the server
    /// stops reading from that connection until answers go out.
    public var maxInFlightPerConnection: Int
    /// The longest query accepted over TCP, in bytes; a longer frame closes the connection.
    public var maxQuerySize: Int

    /// Defaults: 10 s idle (RFC 7766 section 6.2.3 suggests seconds), 256 connections,
    /// 32 queries in flight per connection, 4096-byte queries.
    public init(
        idleTimeout: Duration = .seconds(10), maxConnections: Int = 256, maxInFlightPerConnection: Int = 32,
        maxQuerySize: Int = 4096
    ) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxInFlightPerConnection = maxInFlightPerConnection
        self.maxQuerySize = maxQuerySize
    }
}

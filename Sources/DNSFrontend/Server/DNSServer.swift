import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves a zone over UDP and TCP on every listen address, IPv4 and IPv6 alike.
public struct DNSServer<Provider: ZoneAnswerProvider>: Service {
    /// Where to listen; each address gets a UDP socket and a TCP listener.
    public var addresses: [DNSListenAddress]
    /// Answers the queries.
    public var responder: AuthoritativeResponder<Provider>
    /// Limits of the TCP transport.
    public var tcp: DNSTCPSettings
    /// Event loops for TCP.
    public var group: any EventLoopGroup
    /// UDP sockets per address, bound with SO_REUSEPORT when more than one, so the kernel
    /// spreads datagrams over several cores. Each UDP socket is served by a thread of its own
    /// (`DNSUDPWorker`); TCP runs on `group`.
    public var udpSocketsPerAddress: Int
    /// Relays queries outside the zone for allowed clients; nil (the default) refuses them all.
    public var forwarder: DNSForwarder?
    /// Where start, stop and socket errors are logged.
    public var logger: Logger

    /// Creates a server; nothing is bound until `bind()` or `run()`.
    public init(
        addresses: [DNSListenAddress], responder: AuthoritativeResponder<Provider>, tcp: DNSTCPSettings = .init(),
        group: any EventLoopGroup, udpSocketsPerAddress: Int = 1, forwarder: DNSForwarder? = nil, logger: Logger
    ) {
        self.forwarder = forwarder
        self.addresses = addresses
        self.responder = responder
        self.tcp = tcp
        self.group = group
        self.udpSocketsPerAddress = max(1, udpSocketsPerAddress)
        self.logger = logger
    }

    /// Binds every socket, UDP then TCP per address; on a failure closes those already bound
    /// and throws, so the daemon can report a bind error before it declares itself ready.
    public func bind() async throws -> DNSBoundServer {
        let connections = DNSTCPConnections(limit: tcp.maxConnections)
        var udp: [DNSUDPWorker] = []
        var tcp: [any Channel] = []
        do {
            for address in addresses {
                let first = try bindUDP(address, reusePort: udpSocketsPerAddress > 1)
                udp.append(first)
                tcp.append(try await bindTCP(address, connections: connections))
                // More sockets on the port the first one got (which matters for port 0).
                let port = first.localAddress?.port ?? address.port
                for _ in 1..<udpSocketsPerAddress {
                    let more = DNSListenAddress(host: address.host, port: port)
                    udp.append(try bindUDP(more, reusePort: true))
                }
            }
        } catch {
            for worker in udp { worker.stop() }
            for channel in tcp { try? await channel.close() }
            throw error
        }
        return DNSBoundServer(udp: udp, tcp: tcp, connections: connections)
    }

    /// Binds, serves until graceful shutdown, then closes every socket and connection.
    public func run() async throws {
        let server = try await bind()
        for (transport, address) in server.listening {
            logger.info("DNS listening", metadata: ["address": "\(address.map { "\($0)" } ?? "?")", "transport": "\(transport)"])
        }
        try? await gracefulShutdown()
        await server.close()
    }

    func bindUDP(_ address: DNSListenAddress, reusePort: Bool) throws -> DNSUDPWorker {
        let socket = try DNSUDPSocket(binding: try address.socketAddress(), reusePort: reusePort, receiveTimeout: .seconds(1))
        let answerer = DNSDatagramAnswerer(responder: responder, forwarder: forwarder)
        let worker = DNSUDPWorker(socket: socket) { packet, peer, later in answerer.answer(packet, from: peer, later: later) }
        do {
            try worker.start()
        } catch {
            socket.close()
            throw error
        }
        return worker
    }

    func bindTCP(_ address: DNSListenAddress, connections: DNSTCPConnections) async throws -> any Channel {
        let responder = self.responder
        let logger = self.logger
        let tcp = self.tcp
        let forwarder = self.forwarder
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try DNSTCPPipeline.configure(
                        channel.pipeline.syncOperations, responder: responder, settings: tcp,
                        connections: connections, forwarder: forwarder, logger: logger)
                }
            }
            .bind(to: try address.socketAddress()).get()
    }
}

/// The sockets of a running `DNSServer`. As a `Service` it serves until graceful shutdown, for
/// a daemon that binds first (to report a bind error, then tell systemd it is ready).
public struct DNSBoundServer: Service {
    /// The UDP sockets' workers, in the order of the addresses (several per address with
    /// `udpSocketsPerAddress`).
    let udp: [DNSUDPWorker]
    /// The TCP listeners, one per address, in order.
    public let tcp: [any Channel]
    let connections: DNSTCPConnections

    /// Every socket's transport ("udp" or "tcp") and bound address, UDP first.
    public var listening: [(transport: String, address: SocketAddress?)] {
        udp.map { ("udp", $0.localAddress) } + tcp.map { ("tcp", $0.localAddress) }
    }

    /// Closes the listeners and every open TCP connection.
    public func close() async {
        for worker in udp { worker.stop() }
        for channel in tcp { try? await channel.close() }
        connections.closeAll()
    }

    /// Serves until graceful shutdown, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

/// The handlers of one DNS TCP connection, in order.
enum DNSTCPPipeline {
    static func configure<Provider: ZoneAnswerProvider>(
        _ pipeline: ChannelPipeline.SynchronousOperations, responder: AuthoritativeResponder<Provider>,
        settings: DNSTCPSettings, connections: DNSTCPConnections, forwarder: DNSForwarder? = nil, logger: Logger
    ) throws {
        let (seconds, attoseconds) = settings.idleTimeout.components
        let idle = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        try pipeline.addHandler(DNSTCPConnectionLimiter(connections: connections))
        try pipeline.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder(maxMessageSize: settings.maxQuerySize)))
        try pipeline.addHandler(
            DNSTCPQueryHandler(
                responder: responder, maxInFlight: settings.maxInFlightPerConnection, idleTimeout: idle,
                forwarder: forwarder, logger: logger))
    }
}

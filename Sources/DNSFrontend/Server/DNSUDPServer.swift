import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves a zone over UDP with SwiftNIO. Each datagram is answered in its own task, so a query
/// waiting for a boot never delays the others.
public struct DNSUDPServer<Provider: ZoneAnswerProvider>: Service {
    public var host: String
    public var port: Int
    public var responder: AuthoritativeResponder<Provider>
    public var group: any EventLoopGroup
    public var logger: Logger

    public init(host: String, port: Int, responder: AuthoritativeResponder<Provider>, group: any EventLoopGroup, logger: Logger) {
        self.host = host
        self.port = port
        self.responder = responder
        self.group = group
        self.logger = logger
    }

    /// Binds the socket; separate from `run` so the daemon can report bind errors before it
    /// declares itself ready.
    public func bind() async throws -> any Channel {
        let responder = self.responder
        let logger = self.logger
        return try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSDatagramHandler(responder: responder, logger: logger))
                }
            }
            .bind(host: host, port: port).get()
    }

    public func run() async throws {
        let channel = try await bind()
        logger.info("DNS listening", metadata: ["address": "\(host):\(port)", "transport": "udp"])
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// Answers each datagram in a task and writes the response back to its sender.
final class DNSDatagramHandler<Provider: ZoneAnswerProvider>: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: AuthoritativeResponder<Provider>
    let logger: Logger

    init(responder: AuthoritativeResponder<Provider>, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var buffer = envelope.data
        let packet = buffer.readBytes(length: buffer.readableBytes) ?? []
        let channel = context.channel
        let responder = self.responder
        Task {
            guard let response = await responder.respond(toUDP: packet) else { return }
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: channel.allocator.buffer(bytes: response))
            channel.writeAndFlush(out, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A datagram socket reports ICMP errors for earlier replies here; they are not fatal.
        logger.debug("DNS socket error: \(error)")
    }
}

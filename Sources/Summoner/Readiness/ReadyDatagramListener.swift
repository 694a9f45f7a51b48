import GuestStack
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Receives guests' ready datagrams on the `[readiness] listen` endpoint and hands them to an
/// `AnnouncementReadiness`.
public struct ReadyDatagramListener: Service {
    public var endpoint: IPv4Endpoint
    public var readiness: AnnouncementReadiness
    public var group: any EventLoopGroup
    public var logger: Logger
    /// Given the bound socket, so that stop requests to guests leave from this endpoint.
    public var messenger: DatagramGuestMessenger?

    public init(
        endpoint: IPv4Endpoint, readiness: AnnouncementReadiness, group: any EventLoopGroup, logger: Logger,
        messenger: DatagramGuestMessenger? = nil
    ) {
        self.messenger = messenger
        self.endpoint = endpoint
        self.readiness = readiness
        self.group = group
        self.logger = logger
    }

    /// Binds the socket; separate from `run` so start-up can report a bind error before serving.
    public func bind() async throws -> any Channel {
        let readiness = self.readiness
        return try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReadyDatagramHandler(readiness: readiness))
                }
            }
            .bind(host: endpoint.address.text, port: Int(endpoint.port)).get()
    }

    public func run() async throws {
        let channel = try await bind()
        logger.info("listening for guests' ready datagrams", metadata: ["address": "\(endpoint.text)"])
        messenger?.attach(channel)
        try? await gracefulShutdown()
        messenger?.attach(nil)
        try? await channel.close()
    }
}

final class ReadyDatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let readiness: AnnouncementReadiness

    init(readiness: AnnouncementReadiness) { self.readiness = readiness }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard case .v4(let address) = envelope.remoteAddress else { return }
        var buffer = envelope.data
        let payload = buffer.readBytes(length: min(buffer.readableBytes, 256)) ?? []
        readiness.receive(payload, from: IPv4Address(UInt32(bigEndian: address.address.sin_addr.s_addr)))
    }
}

import NIOCore
import NIOPosix

/// `--nio-floor`: what SwiftNIO and the kernel cost with no DNS at all. Each datagram goes back
/// to its sender with QR set, through the same socket options and flush-per-batch as the real
/// server, so `make bench-dns` can show how much of a query's CPU is ours and how much the
/// transport's.
final class NIOFloorHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    private var needsFlush = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        guard envelope.data.readableBytes >= 12, let flags = envelope.data.getInteger(at: envelope.data.readerIndex + 2, as: UInt8.self)
        else { return }
        envelope.data.setInteger(flags | 0x80, at: envelope.data.readerIndex + 2)
        context.write(wrapOutboundOut(envelope), promise: nil)
        needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    static func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.maxMessagesPerRead, value: 32)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(NIOFloorHandler()) }
            }
            .bind(host: host, port: port).get()
    }
}

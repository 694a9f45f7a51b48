import NIOCore
import NIOPosix

@testable import DNSFrontend

/// Sends one datagram from a fresh socket and returns the first reply.
func udpAsk(_ query: [UInt8], at address: SocketAddress, group: any EventLoopGroup) async throws -> [UInt8] {
    let reply = group.next().makePromise(of: [UInt8].self)
    let client = try await DatagramBootstrap(group: group)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ReplyCatcher(reply: reply))
            }
        }
        .bind(host: address.protocol == .inet6 ? "::1" : "127.0.0.1", port: 0).get()
    try await client.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query)))
    let bytes = try await reply.futureResult.get()
    try await client.close()
    return bytes
}

/// Completes `reply` with the first datagram received.
final class ReplyCatcher: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let reply: EventLoopPromise<[UInt8]>

    init(reply: EventLoopPromise<[UInt8]>) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reply.succeed(Array(unwrapInboundIn(data).data.readableBytesView))
    }
}

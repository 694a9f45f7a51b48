import Logging
import NIOCore

/// Answers DNS over UDP. A query the provider can answer at once is answered right here on the
/// event loop, and its reply flushed with the rest of the read batch; only a query that must
/// wait (a summon) is handed to a task, so it never delays the others.
final class DNSDatagramHandler<Provider: ZoneAnswerProvider>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: AuthoritativeResponder<Provider>
    let logger: Logger
    private var needsFlush = false

    init(responder: AuthoritativeResponder<Provider>, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let packet = Array(envelope.data.readableBytesView)
        let remote = envelope.remoteAddress
        switch responder.step(for: packet) {
        case .drop:
            return
        case .respond(let response):
            write(response, to: remote, context: context)
            needsFlush = true
        case .lookup(let pending):
            let promise = context.eventLoop.makePromise(of: DNSResponse.self)
            promise.completeWithTask { [responder] in await responder.finish(pending) }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                guard context.channel.isActive else { return }
                self.write(response, to: remote, context: context)
                context.flush()
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A datagram socket reports ICMP errors for earlier replies here; they are not fatal.
        logger.debug("DNS socket error: \(error)")
    }

    private func write(_ response: DNSResponse, to remote: SocketAddress, context: ChannelHandlerContext) {
        let bytes = response.bytes(for: .udp, ourPayloadSize: AuthoritativeResponder<Provider>.ourPayloadSize)
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: remote, data: buffer)), promise: nil)
    }
}

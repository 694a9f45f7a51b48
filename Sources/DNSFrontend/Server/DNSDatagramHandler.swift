import Logging
import NIOCore

/// Answers DNS over UDP. A query the provider can answer at once is answered right here on the
/// event loop, and its reply flushed with the rest of the read batch; only a query that must
/// wait (a summon) is handed to a task, so it never delays the others. Queries outside the zone
/// are relayed by `forwarder` for the clients it allows, and refused for everyone else.
final class DNSDatagramHandler<Provider: ZoneAnswerProvider>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let responder: AuthoritativeResponder<Provider>
    let forwarder: DNSForwarder?
    let logger: Logger
    private var needsFlush = false

    init(responder: AuthoritativeResponder<Provider>, forwarder: DNSForwarder? = nil, logger: Logger) {
        self.responder = responder
        self.forwarder = forwarder
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
        case .outsideZone(let refusal, let query):
            guard let forwarder, forwarder.settings.allows(remote) else {
                write(responder.observed(refusal), to: remote, context: context)
                needsFlush = true
                return
            }
            let responder = self.responder
            forwarder.forward(packet, question: query.questions[0]).hop(to: context.eventLoop).assumeIsolated()
                .whenSuccess { answer in
                    guard context.channel.isActive else { return }
                    if let answer, let fitted = DNSForwarder.fit(answer, to: query, on: .udp) {
                        self.write(bytes: fitted, to: remote, context: context)
                    } else {
                        self.write(responder.serverFailure(for: query), to: remote, context: context)
                    }
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
        write(
            bytes: response.bytes(for: .udp, ourPayloadSize: AuthoritativeResponder<Provider>.ourPayloadSize), to: remote,
            context: context)
    }

    private func write(bytes: [UInt8], to remote: SocketAddress, context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(bytes: bytes)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: remote, data: buffer)), promise: nil)
    }
}

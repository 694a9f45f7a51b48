import Logging
import NIOCore

/// Answers the DNS messages of one TCP connection (RFC 7766).
///
/// Pipelining: every query is started as soon as it is read, and each answer is written when it
/// is ready, so a quick answer overtakes one waiting for a summon (clients match them by id).
/// At most `maxInFlight` queries wait at once; beyond that the handler stops reading, which
/// pushes back through TCP. The connection is closed after `idleTimeout` without reads or
/// answers while nothing is outstanding (RFC 7766 section 6.2.3), when the client has closed
/// its side and every answer has been written, or on a framing error.
///
/// The idle timer is the event loop's own scheduled task, re-armed on activity, rather than
/// NIO's `IdleStateHandler`, which reads the wall clock and so cannot be tested in virtual time.
/// Queries outside the zone are relayed (over UDP) by `forwarder` for the clients it allows.
final class DNSTCPQueryHandler<Provider: ZoneAnswerProvider>: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let responder: AuthoritativeResponder<Provider>
    let maxInFlight: Int
    let idleTimeout: TimeAmount
    let forwarder: DNSForwarder?
    let logger: Logger
    private var idleTimer: Scheduled<Void>?
    private(set) var inFlight = 0
    private var readDeferred = false
    private var needsFlush = false
    private var inputClosed = false
    private var lastWrite: EventLoopFuture<Void>?

    init(
        responder: AuthoritativeResponder<Provider>, maxInFlight: Int, idleTimeout: TimeAmount,
        forwarder: DNSForwarder? = nil, logger: Logger
    ) {
        self.responder = responder
        self.maxInFlight = maxInFlight
        self.idleTimeout = idleTimeout
        self.forwarder = forwarder
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armIdleTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdleTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = Array(unwrapInboundIn(data).readableBytesView)
        switch responder.step(for: packet) {
        case .drop:
            return
        case .respond(let response):
            write(response, context: context, flush: false)
        case .lookup(let pending):
            let promise = context.eventLoop.makePromise(of: DNSResponse.self)
            promise.completeWithTask { [responder] in await responder.finish(pending) }
            awaitAnswer(promise.futureResult.map { $0.bytes(for: .tcp) }, context: context)
        case .outsideZone(let refusal, let query):
            guard let forwarder, forwarder.settings.allows(context.remoteAddress) else {
                write(responder.observed(refusal), context: context, flush: false)
                return
            }
            let responder = self.responder
            let answer = forwarder.relay(packet, query: query, on: .tcp) {
                responder.serverFailure(for: query).bytes(for: .tcp)
            }
            awaitAnswer(answer.hop(to: context.eventLoop), context: context)
        }
    }

    /// Counts `answer` as outstanding until it is written, which may be after later answers.
    private func awaitAnswer(_ answer: EventLoopFuture<[UInt8]>, context: ChannelHandlerContext) {
        inFlight += 1
        answer.assumeIsolated().whenSuccess { bytes in
            self.inFlight -= 1
            guard context.channel.isActive else { return }
            self.write(bytes: bytes, context: context, flush: true)
            self.armIdleTimer(context: context)
            if self.readDeferred, self.inFlight < self.maxInFlight {
                self.readDeferred = false
                context.read()
            }
            self.closeIfDone(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        armIdleTimer(context: context)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if inFlight >= maxInFlight {
            readDeferred = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            inputClosed = true
            flushIfNeeded(context: context)
            closeIfDone(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("DNS TCP connection closed: \(error)")
        context.close(promise: nil)
    }

    /// (Re)starts the idle timer; when it fires with queries outstanding it waits another round.
    private func armIdleTimer(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) {
            guard self.inFlight == 0 else {
                self.armIdleTimer(context: context)
                return
            }
            self.logger.debug("closing idle DNS TCP connection")
            context.close(promise: nil)
        }
    }

    private func write(_ response: DNSResponse, context: ChannelHandlerContext, flush: Bool) {
        write(bytes: response.bytes(for: .tcp), context: context, flush: flush)
    }

    private func write(bytes: [UInt8], context: ChannelHandlerContext, flush: Bool) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.write(wrapOutboundOut(DNSTCPFrameDecoder.frame(bytes, allocator: context.channel.allocator)), promise: promise)
        lastWrite = promise.futureResult
        if flush { context.flush() } else { needsFlush = true }
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    /// After the client's EOF, closes once every answer has been written.
    private func closeIfDone(context: ChannelHandlerContext) {
        guard inputClosed, inFlight == 0 else { return }
        let written = lastWrite ?? context.eventLoop.makeSucceededVoidFuture()
        written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}

import NIOCore
import NIOPosix

/// Relays queries to the upstream resolver over one UDP socket.
///
/// Each relayed query gets a fresh random id; an answer is accepted only from the upstream's
/// address, with QR set, an id in flight and the same question, and goes back with the client's
/// id. A query unanswered after `settings.timeout` completes with nil (the caller answers
/// SERVFAIL). All bookkeeping happens on the socket's event loop.
public final class DNSForwarder: Sendable {
    /// Where and for whom to forward.
    public let settings: DNSForwarding
    let channel: any Channel
    let upstream: SocketAddress
    let pending: NIOLoopBoundBox<[UInt16: DNSForwardedQuery]>

    init(settings: DNSForwarding, channel: any Channel, upstream: SocketAddress) {
        self.settings = settings
        self.channel = channel
        self.upstream = upstream
        self.pending = .makeBoxSendingValue([:], eventLoop: channel.eventLoop)
    }

    /// Opens the upstream socket (on an ephemeral port of the matching address family).
    public static func start(_ settings: DNSForwarding, group: any EventLoopGroup) async throws -> DNSForwarder {
        let upstream = try SocketAddress(ipAddress: settings.upstream.host, port: settings.upstream.port)
        // One loop for the socket and the forwarder's bookkeeping.
        let loop = group.next()
        let promise = loop.makePromise(of: DNSForwarder.self)
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSForwarderResponseHandler(forwarder: promise.futureResult))
                }
            }
            .bind(host: upstream.protocol == .inet6 ? "::" : "0.0.0.0", port: 0).get()
        let forwarder = DNSForwarder(settings: settings, channel: channel, upstream: upstream)
        promise.succeed(forwarder)
        return forwarder
    }

    /// Relays `packet`, whose question is `question`; completes with the upstream's answer
    /// carrying the packet's id, or nil on timeout.
    public func forward(_ packet: [UInt8], question: DNSQuestion) -> EventLoopFuture<[UInt8]?> {
        let loop = channel.eventLoop
        return loop.flatSubmit {
            var table = self.pending.value
            var id = UInt16.random(in: 0...UInt16.max)
            while table[id] != nil { id = UInt16.random(in: 0...UInt16.max) }
            let promise = loop.makePromise(of: [UInt8]?.self)
            let timeout = loop.assumeIsolated().scheduleTask(in: Self.timeAmount(self.settings.timeout)) {
                if let expired = self.pending.value.removeValue(forKey: id) { expired.promise.succeed(nil) }
            }
            table[id] = DNSForwardedQuery(
                clientID: UInt16(packet[0]) << 8 | UInt16(packet[1]), question: question, promise: promise, timeout: timeout)
            self.pending.value = table
            var relayed = packet
            relayed[0] = UInt8(id >> 8)
            relayed[1] = UInt8(id & 0xFF)
            let buffer = self.channel.allocator.buffer(bytes: relayed)
            self.channel.writeAndFlush(AddressedEnvelope(remoteAddress: self.upstream, data: buffer), promise: nil)
            return promise.futureResult
        }
    }

    /// Relays `packet`, the client's `query`, and completes with what to send that client on
    /// `transport`: the upstream's answer fitted to it, else (no answer in time, one that must be
    /// cut and does not parse, or a failed relay) the bytes of `serverFailure`. Never silence.
    public func relay(
        _ packet: [UInt8], query: DNSMessage, on transport: DNSTransport,
        serverFailure: @escaping @Sendable () -> [UInt8]
    ) -> EventLoopFuture<[UInt8]> {
        forward(packet, question: query.questions[0])
            .map { answer in answer.flatMap { Self.fit($0, to: query, on: transport) } ?? serverFailure() }
            .recover { _ in serverFailure() }
    }

    /// The upstream's `answer` cut to what the client of `query` accepts on `transport`, with
    /// TC=1 when cut; nil if it must be cut and does not parse.
    public static func fit(_ answer: [UInt8], to query: DNSMessage, on transport: DNSTransport) -> [UInt8]? {
        let limit = DNSResponse(message: DNSMessage(header: DNSHeader()), query: query)
            .sizeLimit(on: transport)
        guard answer.count > limit else { return answer }
        return (try? DNSMessage(parsing: answer))?.serialized(maxSize: limit)
    }

    /// Takes an answer from the upstream socket; ignores anything that is not one we await.
    func receive(_ bytes: [UInt8], from sender: SocketAddress) {
        guard sender == upstream, let header = DNSMessage.parseHeader(bytes), header.isResponse,
            let waiting = pending.value[header.id],
            let answer = try? DNSMessage(parsing: bytes), let question = answer.questions.first,
            answer.questions.count == 1, question.name.equalsIgnoringCase(waiting.question.name),
            question.type == waiting.question.type, question.class == waiting.question.class
        else { return }
        pending.value.removeValue(forKey: header.id)
        waiting.timeout.cancel()
        var relayed = bytes
        relayed[0] = UInt8(waiting.clientID >> 8)
        relayed[1] = UInt8(waiting.clientID & 0xFF)
        waiting.promise.succeed(relayed)
    }

    /// Closes the upstream socket; queries still waiting complete with nil.
    public func close() async {
        try? await channel.close()
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// A query relayed upstream and waiting for its answer.
struct DNSForwardedQuery {
    let clientID: UInt16
    let question: DNSQuestion
    let promise: EventLoopPromise<[UInt8]?>
    let timeout: Scheduled<Void>
}

/// Hands datagrams from the upstream to the forwarder.
final class DNSForwarderResponseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let forwarder: EventLoopFuture<DNSForwarder>

    init(forwarder: EventLoopFuture<DNSForwarder>) { self.forwarder = forwarder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        forwarder.whenSuccess { $0.receive(bytes, from: envelope.remoteAddress) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        forwarder.whenSuccess { forwarder in
            for waiting in forwarder.pending.value.values {
                waiting.timeout.cancel()
                waiting.promise.succeed(nil)
            }
            forwarder.pending.value = [:]
        }
        context.fireChannelInactive()
    }
}

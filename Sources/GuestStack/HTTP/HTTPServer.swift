/// HTTP/1.1 over the stack's TCP: accepts on a port, parses requests as bytes arrive, answers
/// each in order (keep-alive and pipelining), refuses malformed input with 4xx/5xx and a close,
/// and drops connections idle too long. Every buffer is bounded.
public struct HTTPServer<Responder: HTTPResponder> {
    struct Session {
        var id: TCPConnectionID
        var input: [UInt8] = []
        var bodyToSkip = 0
        var output: [UInt8] = []
        var closeAfterOutput = false
        var lastActivity: UInt64
    }

    /// Answers held beyond what TCP's send buffer took, per connection.
    static var outputLimit: Int { 8192 }

    public let port: UInt16
    public var responder: Responder
    /// A keep-alive connection with no traffic for this long is closed (microseconds).
    public var idleTimeout: UInt64 = 30_000_000
    var sessions: [Session] = []
    public private(set) var requestsServed = 0

    public init(port: UInt16 = 80, responder: Responder) {
        self.port = port
        self.responder = responder
    }

    /// Starts listening.
    public func start<Device>(stack: inout NetworkStack<Device>) { stack.tcp.listen(on: port) }

    /// Serves every connection once: accept, read, answer, write, close what is done.
    public mutating func serve<Device>(stack: inout NetworkStack<Device>, now: UInt64) {
        while let id = stack.tcp.accept(on: port) { sessions.append(Session(id: id, lastActivity: now)) }
        var index = 0
        while index < sessions.count {
            var session = sessions[index]
            sessions[index].input = []  // so the copy above owns its buffers and grows in place
            sessions[index].output = []
            if step(&session, tcp: &stack.tcp, now: now) {
                sessions[index] = session
                index += 1
            } else {
                sessions.remove(at: index)
            }
        }
    }

    /// The earliest idle deadline, so the loop wakes to enforce it.
    public var nextDeadline: UInt64? { sessions.map { $0.lastActivity + idleTimeout }.min() }

    /// Advances one session; false once it is finished and released.
    mutating func step(_ session: inout Session, tcp: inout TCPEndpoint, now: UInt64) -> Bool {
        let status = tcp.status(session.id)
        if status.isClosed {
            tcp.close(session.id)
            return false
        }
        // A client that pipelines without reading our answers waits in TCP's bounded buffers,
        // not in ours: read only while the parsed-but-unanswered input and the output are small.
        let reading = !session.closeAfterOutput && session.output.count < Self.outputLimit
            && session.input.count <= HTTPRequestParser.maximumHeadLength
        let incoming = reading ? tcp.read(session.id, maximum: HTTPRequestParser.maximumHeadLength + 1024) : []
        if !incoming.isEmpty { session.lastActivity = now }
        absorb(incoming[...], into: &session)
        if !session.output.isEmpty {
            let written = tcp.write(session.id, session.output[...])
            session.output.removeFirst(written)
            if written > 0 { session.lastActivity = now }
        }
        let idle = now >= session.lastActivity + idleTimeout
        let done = session.output.isEmpty && (session.closeAfterOutput || tcp.status(session.id).peerClosed)
        if done || idle {
            tcp.close(session.id)
            return false
        }
        return true
    }

    /// Takes bytes, answering the complete requests in them while the output has room; the
    /// rest stays in `input` for the next turn.
    mutating func absorb(_ bytes: ArraySlice<UInt8>, into session: inout Session) {
        var bytes = bytes
        if session.bodyToSkip > 0 {
            let skipped = min(session.bodyToSkip, bytes.count)
            session.bodyToSkip -= skipped
            bytes = bytes.dropFirst(skipped)
        }
        session.input += bytes
        while !session.closeAfterOutput && !session.input.isEmpty && session.bodyToSkip == 0
            && session.output.count < Self.outputLimit
        {
            switch HTTPRequestParser.parse(session.input[...]) {
            case .incomplete:
                return
            case .failure(let error):
                session.output += HTTPResponse.plain(error.status).serialized(keepAlive: false)
                session.closeAfterOutput = true
                session.input = []
            case .request(let request, let headLength):
                let response = responder.respond(to: request)
                requestsServed += 1
                session.output += response.serialized(keepAlive: request.keepAlive, includeBody: !request.methodIs("HEAD"))
                session.closeAfterOutput = !request.keepAlive
                let available = session.input.count - headLength
                let skipped = min(request.contentLength, available)
                session.input.removeFirst(headLength + skipped)
                session.bodyToSkip = request.contentLength - skipped
            }
        }
    }
}

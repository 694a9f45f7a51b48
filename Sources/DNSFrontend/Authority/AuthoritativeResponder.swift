/// Turns a query packet into a response for one zone. No I/O of its own: the only wait is the
/// provider's lookup, bounded by `deadline`.
///
/// Rules (NSD's behaviour where the RFCs leave a choice):
/// - no answer at all for packets shorter than a header, or with QR=1;
/// - FORMERR for packets that do not parse, QDCOUNT other than 1, and QTYPE OPT;
/// - NOTIMP for opcodes other than QUERY; BADVERS, with OPT, for EDNS versions other than 0;
/// - REFUSED for classes other than IN and ANY, zone transfers, and names outside the zone
///   (`.outsideZone`, so a transport with forwarding can relay them for allowed clients);
/// - AA for every answer from the zone; the apex answers SOA and NS (ANY gets the SOA);
/// - NXDOMAIN, or NOERROR without data, with the SOA in authority (RFC 2308);
/// - ANY below the apex: the provider's addresses or one HINFO "RFC8482" record (RFC 8482);
/// - SERVFAIL when the provider fails or misses `deadline`: never silence;
/// - the client's case is echoed (0x20), OPT answered with our payload size and its DO bit.
public struct AuthoritativeResponder<Provider: ZoneAnswerProvider>: Sendable {
    /// The zone answered.
    public var zone: ZoneAuthority
    /// Who knows the names below the apex.
    public var provider: Provider
    /// Longest a lookup may take before the client gets SERVFAIL instead of silence.
    public var deadline: Duration
    /// Told the response code of every response produced (metrics); nil: nobody listens.
    public var onResponse: (@Sendable (DNSResponseCode) -> Void)?

    /// Creates a responder for `zone`, asking `provider` about the names below its apex.
    public init(
        zone: ZoneAuthority, provider: Provider, deadline: Duration = .seconds(5),
        onResponse: (@Sendable (DNSResponseCode) -> Void)? = nil
    ) {
        self.zone = zone
        self.provider = provider
        self.deadline = deadline
        self.onResponse = onResponse
    }

    /// The response bytes for a UDP query, or nil when the packet must be dropped.
    public func respond(toUDP packet: [UInt8]) async -> [UInt8]? {
        await respond(to: packet)?.bytes(for: .udp)
    }

    /// The response to a query packet, or nil to drop the packet; awaits the provider if needed.
    public func respond(to packet: [UInt8]) async -> DNSResponse? {
        switch step(for: packet) {
        case .drop: return nil
        case .respond(let response): return response
        case .lookup(let pending): return await finish(pending)
        case .outsideZone(let refusal, _): return observed(refusal)
        }
    }

    /// Decides what to do with a packet without waiting: drop it, answer it (the provider's
    /// `immediateLookup` included), or await the provider.
    public func step(for packet: [UInt8]) -> DNSQueryStep {
        guard let header = DNSMessage.parseHeader(packet), !header.isResponse else { return .drop }
        let query: DNSMessage
        do {
            query = try DNSMessage(parsing: packet)
        } catch {
            let code: DNSResponseCode = header.opcode == .query ? .formatError : .notImplemented
            return .respond(observed(DNSResponse(message: reply(to: header, code: code), query: nil)))
        }
        let next = step(for: query)
        if case .respond(let response) = next { _ = observed(response) }
        return next
    }

    /// Finishes a step that needs the provider, giving SERVFAIL after `deadline`.
    public func finish(_ pending: DNSPendingLookup) async -> DNSResponse {
        observed(pending.complete(with: await lookupWithDeadline(labels: pending.labels, type: pending.type)))
    }

    /// Reports a response to `onResponse` and returns it. Transports call it for the refusal of
    /// an `.outsideZone` step they send rather than forward.
    @discardableResult
    public func observed(_ response: DNSResponse) -> DNSResponse {
        onResponse?(response.message.responseCode)
        return response
    }

    func step(for query: DNSMessage) -> DNSQueryStep {
        if let refusal = refusal(of: query) { return .respond(DNSResponse(message: refusal, query: query)) }
        let question = query.questions[0]
        guard question.name.isSubdomain(of: zone.apex) else {
            return .outsideZone(refusal: DNSResponse(message: reply(to: query, code: .refused), query: query), query: query)
        }
        var response = reply(to: query, code: .noError)
        response.header.isAuthoritative = true
        let depth = question.name.labelCount - zone.apex.labelCount
        if depth == 0 {
            switch question.type {
            case .soa, .any: response.answers = [echoing(zone.soaRecord, name: question.name)]
            case .ns: response.answers = [echoing(zone.nsRecord, name: question.name)]
            default: response.authorities = [zone.soaRecord]
            }
            return .respond(DNSResponse(message: response, query: query))
        }
        let labels = Self.lowercasedLabels(of: question.name, count: depth)
        if let known = provider.immediateLookup(labels: labels, type: question.type) {
            return .respond(
                DNSPendingLookup.response(to: query, skeleton: response, type: question.type, zone: zone, result: known))
        }
        return .lookup(
            DNSPendingLookup(query: query, labels: labels, type: question.type, skeleton: response, zone: zone))
    }

    /// The first `count` labels of `name` as lowercased strings, as providers are asked.
    static func lowercasedLabels(of name: DNSName, count: Int) -> [String] {
        var labels: [String] = []
        labels.reserveCapacity(count)
        let wire = name.wire
        var position = 0
        for _ in 0..<count {
            let end = position + 1 + Int(wire[position])
            let label = wire[position + 1..<end]
            if label.contains(where: { (0x41...0x5A).contains($0) }) {
                labels.append(String(decoding: label.map(DNSName.asciiLowercased), as: UTF8.self))
            } else {
                labels.append(String(decoding: label, as: UTF8.self))
            }
            position = end
        }
        return labels
    }

    /// The error response for a query nobody answers, or nil if the zone (or forwarding, for a
    /// name outside it) should.
    func refusal(of query: DNSMessage) -> DNSMessage? {
        guard query.header.opcode == .query else { return reply(to: query, code: .notImplemented) }
        guard query.questions.count == 1, let question = query.questions.first else {
            return reply(to: query, code: .formatError)
        }
        if let edns = query.edns, edns.version != 0 { return reply(to: query, code: .badVersion) }
        if question.type == .opt { return reply(to: query, code: .formatError) }
        guard question.class == .internet || question.class == .any, question.type != .axfr, question.type != .ixfr
        else { return reply(to: query, code: .refused) }
        return nil
    }

    /// SERVFAIL for `query`, for a forwarded query the upstream did not answer.
    public func serverFailure(for query: DNSMessage) -> DNSResponse {
        DNSResponse(message: reply(to: query, code: .serverFailure), query: query)
    }

    /// Asks the provider, giving up with `.serverFailure` after `deadline`.
    func lookupWithDeadline(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        await withTaskGroup(of: ZoneLookupResult?.self) { group in
            group.addTask { await provider.lookup(labels: labels, type: type) }
            group.addTask { [deadline] in
                try? await Task.sleep(for: deadline)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .serverFailure
        }
    }

    /// A response skeleton echoing the query's id, opcode, RD and CD flags, question, and EDNS
    /// presence with its DO bit.
    func reply(to query: DNSMessage, code: DNSResponseCode) -> DNSMessage {
        var message = reply(to: query.header, code: .noError)
        message.questions = query.questions
        if let edns = query.edns {
            message.edns = DNSEDNS(udpPayloadSize: DNSResponse.ourUDPPayloadSize, dnssecOK: edns.dnssecOK)
        }
        message.responseCode = code
        return message
    }

    func reply(to header: DNSHeader, code: DNSResponseCode) -> DNSMessage {
        var message = DNSMessage(
            header: DNSHeader(
                id: header.id, isResponse: true, opcode: header.opcode,
                recursionDesired: header.recursionDesired, checkingDisabled: header.checkingDisabled))
        message.responseCode = code
        return message
    }

    /// The record with the owner name written as the client wrote it (0x20 case echo).
    func echoing(_ record: DNSResourceRecord, name: DNSName) -> DNSResourceRecord {
        var copy = record
        copy.name = name
        return copy
    }
}

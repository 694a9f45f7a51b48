/// Turns a query packet into a response packet for one zone. No I/O of its own: the only wait
/// is the provider's lookup, bounded by `deadline`.
///
/// Rules (skeleton subset of the DNS issue): packets shorter than a header and packets with
/// QR=1 get no answer; unparsable packets get FORMERR; opcodes other than QUERY get NOTIMP;
/// QDCOUNT other than 1 gets FORMERR; names outside the zone get REFUSED; names with no service
/// get NXDOMAIN with the SOA (RFC 2308); AA is set for the zone.
public struct AuthoritativeResponder<Provider: ZoneAnswerProvider>: Sendable {
    public var zone: ZoneAuthority
    public var provider: Provider
    /// Longest a lookup may take before the client gets SERVFAIL instead of silence.
    public var deadline: Duration
    /// The UDP payload size we advertise in OPT.
    public static var ourPayloadSize: UInt16 { 1232 }

    public init(zone: ZoneAuthority, provider: Provider, deadline: Duration = .seconds(5)) {
        self.zone = zone
        self.provider = provider
        self.deadline = deadline
    }

    /// The response bytes for a UDP query, or nil when the packet must be dropped.
    public func respond(toUDP packet: [UInt8]) async -> [UInt8]? {
        guard let response = await respond(to: packet) else { return nil }
        let clientSize = response.query?.edns?.effectiveUDPPayloadSize ?? 512
        return response.message.serialized(maxSize: min(clientSize, Int(Self.ourPayloadSize)).clamped(min: 512))
    }

    /// The response to a query packet with the query it answers, or nil to drop the packet.
    public func respond(to packet: [UInt8]) async -> (message: DNSMessage, query: DNSMessage?)? {
        guard let header = DNSMessage.parseHeader(packet), !header.isResponse else { return nil }
        let query: DNSMessage
        do {
            query = try DNSMessage(parsing: packet)
        } catch {
            return (reply(to: header, code: .formatError), nil)
        }
        return (await answer(query), query)
    }

    func answer(_ query: DNSMessage) async -> DNSMessage {
        guard query.header.opcode == .query else { return reply(to: query, code: .notImplemented) }
        guard query.questions.count == 1, let question = query.questions.first else {
            return reply(to: query, code: .formatError)
        }
        if let edns = query.edns, edns.version != 0 { return reply(to: query, code: .badVersion) }
        guard question.name.isSubdomain(of: zone.apex), question.class == .internet || question.class == .any,
            question.type != .opt
        else { return reply(to: query, code: .refused) }

        var response = reply(to: query, code: .noError)
        response.header.isAuthoritative = true
        let depth = question.name.labels.count - zone.apex.labels.count
        if depth == 0 {
            switch question.type {
            case .soa: response.answers = [echoing(zone.soaRecord, name: question.name)]
            case .ns: response.answers = [echoing(zone.nsRecord, name: question.name)]
            default: response.authorities = [zone.soaRecord]
            }
            return response
        }
        let labels = question.name.labels.prefix(depth).map { String(decoding: $0, as: UTF8.self).lowercased() }
        switch await lookupWithDeadline(labels: Array(labels), type: question.type) {
        case .addresses(let addresses, let ttl):
            response.answers = addresses.map { DNSResourceRecord(name: question.name, ttl: ttl, data: .a($0)) }
        case .noData:
            response.authorities = [zone.soaRecord]
        case .nameError:
            response.responseCode = .nameError
            response.authorities = [zone.soaRecord]
        case .serverFailure:
            response.header.isAuthoritative = false
            response.responseCode = .serverFailure
        }
        return response
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

    /// A response skeleton echoing the query's id, opcode, RD flag, question and EDNS presence.
    func reply(to query: DNSMessage, code: DNSResponseCode) -> DNSMessage {
        var message = reply(to: query.header, code: .noError)
        message.questions = query.questions
        if query.edns != nil { message.edns = DNSEDNS(udpPayloadSize: Self.ourPayloadSize) }
        message.responseCode = code
        return message
    }

    func reply(to header: DNSHeader, code: DNSResponseCode) -> DNSMessage {
        var message = DNSMessage(
            header: DNSHeader(
                id: header.id, isResponse: true, opcode: header.opcode, recursionDesired: header.recursionDesired,
                checkingDisabled: header.checkingDisabled))
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

extension Int {
    func clamped(min lower: Int) -> Int { Swift.max(self, lower) }
}

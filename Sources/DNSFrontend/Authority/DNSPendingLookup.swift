/// What the responder decided about a packet without waiting.
public enum DNSQueryStep: Sendable {
    /// Send nothing: the packet is shorter than a header, or is itself a response (QR=1).
    case drop
    /// Send this response now.
    case respond(DNSResponse)
    /// The provider must be awaited; `AuthoritativeResponder.finish(_:)` does that.
    case lookup(DNSPendingLookup)
    /// The name is outside the zone: send `refusal` (REFUSED), unless the transport forwards
    /// `query` for this client (see `DNSForwarding`).
    case outsideZone(refusal: DNSResponse, query: DNSMessage)
}

/// A question below the apex waiting for the provider's answer, with everything needed to
/// build the response once the answer is known.
public struct DNSPendingLookup: Sendable {
    /// The parsed query.
    public let query: DNSMessage
    /// The name's labels below the apex, lowercased, most specific first.
    public let labels: [String]
    /// The queried type.
    public let type: DNSRecordType
    /// The response so far: header, question and OPT, AA set.
    let skeleton: DNSMessage
    let zone: ZoneAuthority

    /// The response for the provider's `result`.
    ///
    /// ANY (RFC 8482): addresses if the provider gave some, else one synthesised HINFO record,
    /// so an ANY query never needs, nor triggers, anything the provider would have to do.
    public func complete(with result: ZoneLookupResult) -> DNSResponse {
        Self.response(to: query, skeleton: skeleton, type: type, zone: zone, result: result)
    }

    /// `complete(with:)` without a pending lookup, for answers known at once: no copy of the
    /// query, the skeleton and the zone into a `DNSPendingLookup` on the hot path.
    static func response(
        to query: DNSMessage, skeleton: DNSMessage, type: DNSRecordType, zone: ZoneAuthority,
        result: ZoneLookupResult
    ) -> DNSResponse {
        var response = skeleton
        let name = query.questions[0].name
        switch result {
        case .addresses(let addresses, let ttl) where type == .a || type == .any:
            response.answers = addresses.map { DNSResourceRecord(name: name, ttl: ttl, data: .a($0)) }
        case .ipv6Addresses(let addresses, let ttl) where type == .aaaa || type == .any:
            response.answers = addresses.map { DNSResourceRecord(name: name, ttl: ttl, data: .aaaa($0)) }
        case .noData where type == .any:
            response.answers = [zone.minimalAnyRecord(name: name)]
        case .addresses, .ipv6Addresses, .noData:
            response.authorities = [zone.soaRecord]
        case .nameError:
            response.responseCode = .nameError
            response.authorities = [zone.soaRecord]
        case .serverFailure:
            response.header.isAuthoritative = false
            response.responseCode = .serverFailure
        }
        return DNSResponse(message: response, query: query)
    }
}

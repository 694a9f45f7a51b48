/// The fixed facts of the zone the server is authoritative for: apex, SOA and NS.
public struct ZoneAuthority: Sendable, Equatable {
    /// The zone's name, lowercased.
    public var apex: DNSName
    /// The SOA data answered at the apex and in the authority section of negative answers.
    public var soa: DNSSOA
    /// TTL of the SOA and NS records, and the negative-caching TTL (RFC 2308).
    public var ttl: UInt32
    /// The one NS record's target, `ns.<apex>`.
    public var nameServer: DNSName

    /// A zone whose SOA names `ns.<apex>` and `hostmaster.<apex>`.
    public init?(apex text: String, serial: UInt32 = 1, ttl: UInt32 = 60) {
        guard let apex = DNSName(text), let ns = DNSName("ns." + apex.text),
            let mailbox = DNSName("hostmaster." + apex.text)
        else { return nil }
        self.apex = apex.lowercased()
        self.ttl = ttl
        self.nameServer = ns
        self.soa = DNSSOA(
            primaryServer: ns, responsibleMailbox: mailbox, serial: serial, refresh: 3600, retry: 600,
            expire: 86400, minimum: ttl)
    }

    var soaRecord: DNSResourceRecord { DNSResourceRecord(name: apex, ttl: ttl, data: .soa(soa)) }
    var nsRecord: DNSResourceRecord { DNSResourceRecord(name: apex, ttl: ttl, data: .ns(nameServer)) }

    /// The synthesised RFC 8482 section 4.2 answer to ANY: HINFO with CPU "RFC8482" and an
    /// empty OS string, owned by the queried name.
    func minimalAnyRecord(name: DNSName) -> DNSResourceRecord {
        DNSResourceRecord(
            name: name, type: .hinfo, class: .internet, ttl: ttl,
            data: .unknown([7] + Array("RFC8482".utf8) + [0]))
    }
}

/// The fixed facts of the zone the server is authoritative for: apex, SOA and NS.
public struct ZoneAuthority: Sendable, Equatable {
    public var apex: DNSName
    public var soa: DNSSOA
    /// TTL of the SOA and NS records, and the negative-caching TTL (RFC 2308).
    public var ttl: UInt32
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
}

/// The RDATA of a resource record, decoded for the types Summoner works with.
///
/// Every other type, and A or AAAA outside class IN, is kept as opaque bytes (RFC 3597), so a
/// record survives a parse and serialise round trip unchanged. Names inside NS, CNAME and SOA
/// data are decompressed when parsing and compressed again when serialising.
public enum DNSRecordData: Hashable, Sendable {
    /// An IPv4 address (type A, class IN).
    case a(DNSIPv4Address)
    /// An IPv6 address (type AAAA, class IN).
    case aaaa(DNSIPv6Address)
    /// A name server for the owner's zone.
    case ns(DNSName)
    /// The canonical name the owner is an alias for.
    case cname(DNSName)
    /// The start of authority of the owner's zone.
    case soa(DNSSOA)
    /// Character strings. Strings longer than 255 bytes are split into 255-byte pieces when sent.
    case txt([[UInt8]])
    /// EDNS options, the data of the OPT pseudo-record; see `DNSEDNS` for the whole record.
    case opt([DNSEDNSOption])
    /// The data of any other type, byte for byte.
    case unknown([UInt8])

    /// The record type this data belongs to; nil for `.unknown`, whose type the record holds.
    public var impliedType: DNSRecordType? {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .soa: .soa
        case .txt: .txt
        case .opt: .opt
        case .unknown: nil
        }
    }
}

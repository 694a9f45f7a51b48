/// A resource record type (RFC 1035 section 3.2.2); any 16-bit value is representable.
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit type value as sent on the wire.
    public var rawValue: UInt16

    /// Wraps any type value, known or not.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// An IPv4 host address.
    public static let a = DNSRecordType(rawValue: 1)
    /// An authoritative name server.
    public static let ns = DNSRecordType(rawValue: 2)
    /// The canonical name for an alias.
    public static let cname = DNSRecordType(rawValue: 5)
    /// The start of a zone of authority.
    public static let soa = DNSRecordType(rawValue: 6)
    /// Host information: CPU and OS strings; RFC 8482 uses it for minimal answers to ANY.
    public static let hinfo = DNSRecordType(rawValue: 13)
    /// Text strings.
    public static let txt = DNSRecordType(rawValue: 16)
    /// An IPv6 host address (RFC 3596).
    public static let aaaa = DNSRecordType(rawValue: 28)
    /// The EDNS pseudo-record (RFC 6891).
    public static let opt = DNSRecordType(rawValue: 41)
    /// An incremental zone transfer (QTYPE only, RFC 1995).
    public static let ixfr = DNSRecordType(rawValue: 251)
    /// A whole-zone transfer (QTYPE only).
    public static let axfr = DNSRecordType(rawValue: 252)
    /// A query for all records (QTYPE only).
    public static let any = DNSRecordType(rawValue: 255)

    /// The mnemonic, such as `AAAA`, or `TYPE65` (RFC 3597) for types without one here.
    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .hinfo: "HINFO"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .opt: "OPT"
        case .ixfr: "IXFR"
        case .axfr: "AXFR"
        case .any: "ANY"
        default: "TYPE\(rawValue)"
        }
    }
}

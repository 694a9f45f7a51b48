/// A resource record (RFC 1035 section 4.1.3), including the OPT pseudo-record.
///
/// `type` must agree with `data`: a record of type A carries `.a` data, and `.unknown` data goes
/// with any type the enum does not model. The parser guarantees this; code that builds records
/// should use `init(name:class:ttl:data:)`, which derives the type.
public struct DNSResourceRecord: Hashable, Sendable {
    /// The owner name; the root for OPT.
    public var name: DNSName
    /// The record type.
    public var type: DNSRecordType
    /// The class. For OPT this is the UDP payload size instead (RFC 6891); see `DNSEDNS`.
    public var `class`: DNSClass
    /// Seconds the record may be cached. For OPT this is the extended response code, the EDNS
    /// version and flags instead; see `DNSEDNS`.
    public var ttl: UInt32
    /// The decoded RDATA.
    public var data: DNSRecordData

    /// Creates a record with every field given; use this for `.unknown` data.
    public init(
        name: DNSName, type: DNSRecordType, class: DNSClass, ttl: UInt32, data: DNSRecordData
    ) {
        self.name = name
        self.type = type
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    /// Creates a record whose type follows from its data.
    ///
    /// - Precondition: `data` is not `.unknown`, which does not say its type.
    public init(name: DNSName, class: DNSClass = .internet, ttl: UInt32, data: DNSRecordData) {
        guard let type = data.impliedType else {
            preconditionFailure("DNSResourceRecord: .unknown data needs an explicit type")
        }
        self.init(name: name, type: type, class: `class`, ttl: ttl, data: data)
    }
}

/// A resource record class (RFC 1035 section 3.2.4); any 16-bit value is representable.
///
/// In an OPT record this field carries the requestor's UDP payload size instead (RFC 6891).
public struct DNSClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit class value as sent on the wire.
    public var rawValue: UInt16

    /// Wraps any class value, known or not.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The Internet.
    public static let internet = DNSClass(rawValue: 1)
    /// Chaosnet; today used for server identity queries such as `version.bind`.
    public static let chaos = DNSClass(rawValue: 3)
    /// Any class (QCLASS only).
    public static let any = DNSClass(rawValue: 255)

    /// The mnemonic, such as `IN`, or `CLASS7` (RFC 3597) for classes without one here.
    public var description: String {
        switch self {
        case .internet: "IN"
        case .chaos: "CH"
        case .any: "ANY"
        default: "CLASS\(rawValue)"
        }
    }
}

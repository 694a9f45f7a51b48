/// The kind of query in a message header, four bits on the wire (RFC 1035 section 4.1.1).
public struct DNSOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The opcode; only the low four bits are sent.
    public var rawValue: UInt8

    /// Wraps any opcode, known or not.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A standard query.
    public static let query = DNSOpcode(rawValue: 0)
    /// A zone change notification (RFC 1996).
    public static let notify = DNSOpcode(rawValue: 4)
    /// A dynamic update (RFC 2136).
    public static let update = DNSOpcode(rawValue: 5)

    /// The mnemonic, such as `QUERY`, or `OPCODE3` for opcodes without one here.
    public var description: String {
        switch self {
        case .query: "QUERY"
        case .notify: "NOTIFY"
        case .update: "UPDATE"
        default: "OPCODE\(rawValue)"
        }
    }
}

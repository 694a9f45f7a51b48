/// A response code, up to 12 bits: the header holds the low four, EDNS the high eight
/// (RFC 6891 section 6.1.3). `DNSMessage.responseCode` combines them.
public struct DNSResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The full 12-bit code (stored in 16 bits).
    public var rawValue: UInt16

    /// Wraps any response code, known or not.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// No error.
    public static let noError = DNSResponseCode(rawValue: 0)
    /// The server could not interpret the query (FORMERR).
    public static let formatError = DNSResponseCode(rawValue: 1)
    /// The server failed to process the query (SERVFAIL).
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    /// The name does not exist (NXDOMAIN).
    public static let nameError = DNSResponseCode(rawValue: 3)
    /// The server does not support this kind of query (NOTIMP).
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    /// The server refuses to answer (REFUSED).
    public static let refused = DNSResponseCode(rawValue: 5)
    /// The server does not implement the requested EDNS version (BADVERS, needs EDNS).
    public static let badVersion = DNSResponseCode(rawValue: 16)

    /// The mnemonic, such as `NXDOMAIN`, or `RCODE23` for codes without one here.
    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        case .badVersion: "BADVERS"
        default: "RCODE\(rawValue)"
        }
    }
}

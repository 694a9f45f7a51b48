/// One option in an OPT record's data (RFC 6891 section 6.1.2), kept as opaque bytes.
public struct DNSEDNSOption: Hashable, Sendable {
    /// OPTION-CODE, such as 10 for a cookie (RFC 7873).
    public var code: UInt16
    /// OPTION-DATA; at most 65535 bytes can be sent.
    public var data: [UInt8]

    /// Creates an option from its code and data.
    public init(code: UInt16, data: [UInt8]) {
        self.code = code
        self.data = data
    }
}

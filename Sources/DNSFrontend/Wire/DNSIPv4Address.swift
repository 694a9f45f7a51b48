/// The address in an A record.
public struct DNSIPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in host byte order: `10.77.0.10` is `0x0A4D_000A`.
    public var value: UInt32

    /// Creates an address from its host-order value.
    public init(_ value: UInt32) { self.value = value }

    /// Creates an address from its four octets, `DNSIPv4Address(10, 77, 0, 10)`.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
            UInt8(value & 0xFF),
        ]
    }

    /// Dotted-quad text, such as `10.77.0.10`.
    public var description: String {
        bytes.map { String($0) }.joined(separator: ".")
    }
}

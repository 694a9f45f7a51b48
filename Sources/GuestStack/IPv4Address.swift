/// An IPv4 address held as a host-order 32-bit value.
///
/// Portable: used by the guest (parsing its command line) and by the host (rendering it).
public struct IPv4Address: Equatable, Hashable, Sendable {
    /// The address in host byte order, `10.77.0.1` is `0x0A4D_0001`.
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text such as `10.77.0.10`; nil for anything else.
    public init?(parsing text: some Collection<UInt8>) {
        var octets: [UInt32] = []
        var current: UInt32 = 0
        var digits = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets.count < 3 else { return nil }
                octets.append(current)
                current = 0
                digits = 0
            } else if let digit = decimalDigit(byte) {
                // Leading zeros are refused: `010` is octal to some parsers and ambiguous.
                if digits == 1 && current == 0 { return nil }
                current = current * 10 + UInt32(digit)
                digits += 1
                guard current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets.count == 3 else { return nil }
        octets.append(current)
        value = octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]
    }

    /// Parses dotted-quad text from a Swift string.
    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    /// The four octets in network order.
    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    /// Dotted-quad text.
    public var text: String {
        let (a, b, c, d) = octets
        return "\(a).\(b).\(c).\(d)"
    }
}

/// The value of an ASCII decimal digit, or nil.
@inline(__always)
func decimalDigit(_ byte: UInt8) -> UInt8? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
}

/// Splits `address/prefix` text into the address's bytes and the prefix length, a decimal no
/// larger than `limit`; nil without a slash or with a bad prefix. Shared by both families'
/// interface parsers.
func splitPrefix(_ text: some Collection<UInt8>, limit: UInt32) -> (address: ArraySlice<UInt8>, prefixLength: UInt8)? {
    let bytes = Array(text)
    guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")),
        let prefix = parseDecimal(bytes[(slash + 1)...], limit: limit)
    else { return nil }
    return (bytes[..<slash], UInt8(prefix))
}

/// Parses an unsigned decimal number no larger than `limit`, refusing empty text and leading zeros.
func parseDecimal(_ text: some Collection<UInt8>, limit: UInt32) -> UInt32? {
    guard !text.isEmpty, text.count <= 10 else { return nil }
    if text.count > 1 && text.first == UInt8(ascii: "0") { return nil }
    var value: UInt64 = 0
    for byte in text {
        guard let digit = decimalDigit(byte) else { return nil }
        value = value * 10 + UInt64(digit)
    }
    return value <= UInt64(limit) ? UInt32(value) : nil
}

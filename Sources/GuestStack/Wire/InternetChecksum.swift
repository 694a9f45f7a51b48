/// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of
/// 16-bit big-endian words. IPv4 headers, ICMP, UDP and TCP all use it.
///
/// Add the pieces in order; only the last piece may have an odd length (a lone final byte is
/// padded with a zero byte, as the RFC says).
public struct InternetChecksum {
    private var sum: UInt64 = 0

    public init() {}

    /// Adds bytes, taken as big-endian 16-bit words.
    public mutating func add(_ bytes: ArraySlice<UInt8>) {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index + 1 < end {
            sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < end { sum &+= UInt64(bytes[index]) << 8 }
    }

    /// Adds bytes, taken as big-endian 16-bit words.
    public mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }

    /// Adds one 16-bit word.
    public mutating func add(_ word: UInt16) { sum &+= UInt64(word) }

    /// Adds a 32-bit value as two words (an IPv4 address in a pseudo-header).
    public mutating func add(_ value: UInt32) {
        sum &+= UInt64(value >> 16) + UInt64(value & 0xffff)
    }

    /// The checksum to put in a header: the complement of the folded sum.
    public var value: UInt16 {
        var folded = sum
        while folded >> 16 != 0 { folded = (folded & 0xffff) + (folded >> 16) }
        return ~UInt16(truncatingIfNeeded: folded)
    }

    /// The checksum of `bytes` alone.
    public static func of(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var checksum = InternetChecksum()
        checksum.add(bytes)
        return checksum.value
    }

    /// Adds a 64-bit value as four words (half an IPv6 address in a pseudo-header).
    public mutating func add(_ value: UInt64) {
        add(UInt32(truncatingIfNeeded: value >> 32))
        add(UInt32(truncatingIfNeeded: value))
    }

    /// Adds an address of either family, as its 16-bit words.
    public mutating func add(_ address: IPAddress) {
        switch address {
        case .v4(let address): add(address.value)
        case .v6(let address):
            add(address.high)
            add(address.low)
        }
    }

    /// The sum over a TCP, UDP or ICMPv6 pseudo-header (RFC 793 / 768 for IPv4, RFC 8200
    /// section 8.1 for IPv6): addresses, protocol, length. Both layouts hold the same words, so
    /// one sum serves both.
    public static func pseudoHeader(
        source: IPAddress, destination: IPAddress, protocol number: UInt8, length: Int
    ) -> InternetChecksum {
        var checksum = InternetChecksum()
        checksum.add(source)
        checksum.add(destination)
        checksum.add(UInt16(number))
        checksum.add(UInt32(truncatingIfNeeded: length))
        return checksum
    }
}

/// An IPv6 address (RFC 4291) held as two host-order 64-bit halves: `fd88::10` is
/// `high 0xfd88_0000_0000_0000`, `low 0x10`.
///
/// Portable: used by the guest (parsing its command line, its stack) and by the host (rendering it).
public struct IPv6Address: Equatable, Hashable, Sendable {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// `::`, the unspecified address (the source of a duplicate address probe).
    public static let unspecified = IPv6Address(high: 0, low: 0)
    /// `ff02::1`, every node on the link.
    public static let allNodes = IPv6Address(high: 0xff02_0000_0000_0000, low: 1)

    /// Reads sixteen bytes starting at `offset` of `bytes`.
    public init(_ bytes: ArraySlice<UInt8>, at offset: Int) {
        high = UInt64(bytes.uint32(at: offset)) << 32 | UInt64(bytes.uint32(at: offset + 4))
        low = UInt64(bytes.uint32(at: offset + 8)) << 32 | UInt64(bytes.uint32(at: offset + 12))
    }

    /// Appends the sixteen bytes in network order.
    public func append(to bytes: inout [UInt8]) {
        bytes.appendUInt32(UInt32(truncatingIfNeeded: high >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: high))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: low >> 32))
        bytes.appendUInt32(UInt32(truncatingIfNeeded: low))
    }

    /// The eight 16-bit groups, first to last.
    public var groups: [UInt16] {
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        return groups
    }

    init(groups: [UInt16]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        self.init(high: high, low: low)
    }

    public var isUnspecified: Bool { high == 0 && low == 0 }
    /// `ff00::/8`.
    public var isMulticast: Bool { high >> 56 == 0xff }
    /// `fe80::/10`.
    public var isLinkLocal: Bool { high >> 54 == 0xfe80 >> 6 }

    /// The link-local address a host with `mac` forms for itself (RFC 4862 and RFC 4291's
    /// modified EUI-64: `52:54:00:88:00:0a` gives `fe80::5054:ff:fe88:a`).
    public static func linkLocal(for mac: MACAddress) -> IPv6Address {
        let value = mac.value ^ 0x0200_0000_0000  // the universal/local bit, inverted
        let interfaceID = (value >> 24) << 40 | 0xff_fe00_0000 | (value & 0xff_ffff)
        return IPv6Address(high: 0xfe80_0000_0000_0000, low: interfaceID)
    }

    /// The solicited-node multicast group of this address (`ff02::1:ffXX:XXXX`, RFC 4291 2.7.1),
    /// where neighbor solicitations for it are sent.
    public var solicitedNode: IPv6Address {
        IPv6Address(high: 0xff02_0000_0000_0000, low: 0x0000_0001_ff00_0000 | (low & 0xff_ffff))
    }

    /// The Ethernet group address a multicast IPv6 address maps to: `33:33` and its last 32 bits (RFC 2464).
    public var multicastMAC: MACAddress { MACAddress(0x3333_0000_0000 | (low & 0xffff_ffff)) }

    /// The address with every bit past the first `length` cleared.
    public func masked(to length: UInt8) -> IPv6Address {
        let length = min(Int(length), 128)
        if length <= 64 {
            let mask: UInt64 = length == 0 ? 0 : ~UInt64(0) << UInt64(64 - length)
            return IPv6Address(high: high & mask, low: 0)
        }
        return IPv6Address(high: high, low: low & ~UInt64(0) << UInt64(128 - length))
    }

    /// True when the first `prefixLength` bits equal `other`'s.
    public func hasPrefix(of other: IPv6Address, length prefixLength: UInt8) -> Bool {
        masked(to: prefixLength) == other.masked(to: prefixLength)
    }

    /// Parses RFC 4291 text (`fd88::10`, `fe80::5054:ff:fe88:a`, `2001:db8:0:0:0:0:0:1`): eight
    /// groups of one to four hex digits, or fewer with one `::`. Embedded IPv4 and zone ids are
    /// refused; nil for anything malformed.
    public init?(parsing text: some Collection<UInt8>) {
        let bytes = Array(text)
        guard bytes.count >= 2, bytes.count <= 39 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            sawDoubleColon = true
            index = 2
        }
        while index < bytes.count {
            var value: UInt16 = 0
            var digits = 0
            while index < bytes.count, let digit = hexDigit(bytes[index]) {
                guard digits < 4 else { return nil }
                value = value << 4 | UInt16(digit)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if sawDoubleColon { tail.append(value) } else { head.append(value) }
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: ":"), index + 1 < bytes.count else { return nil }
            index += 1
            if bytes[index] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index += 1
            }
        }
        let count = head.count + tail.count
        if sawDoubleColon {
            guard count <= 7 else { return nil }
        } else {
            guard count == 8 else { return nil }
        }
        var groups = head
        for _ in 0..<(8 - count) { groups.append(0) }
        groups += tail
        self.init(groups: groups)
    }

    /// Parses RFC 4291 text from a Swift string.
    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    /// RFC 5952 text: lower-case hex without leading zeros, the longest run of two or more zero
    /// groups (the first, on a tie) written `::`.
    public var text: String {
        let groups = self.groups
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if index > 0 && index != bestStart + bestLength { text += ":" }
            let group = groups[index]
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let digit = Int(group >> UInt16(shift) & 0xf)
                if digit != 0 || started || shift == 0 {
                    text.append(hex[digit])
                    started = true
                }
            }
            index += 1
        }
        return text
    }
}

/// The value of an ASCII hex digit (either case), or nil.
@inline(__always)
func hexDigit(_ byte: UInt8) -> UInt8? {
    if let digit = decimalDigit(byte) { return digit }
    if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f") { return byte - UInt8(ascii: "a") + 10 }
    if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") { return byte - UInt8(ascii: "A") + 10 }
    return nil
}

/// A 48-bit Ethernet address, held in the low bits of a `UInt64` in transmission order
/// (`52:54:00:88:00:0a` is `0x5254_0088_000a`).
public struct MACAddress: Equatable, Hashable, Sendable {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value & 0xffff_ffff_ffff }

    /// Reads six bytes starting at `offset` of `bytes`.
    public init(_ bytes: ArraySlice<UInt8>, at offset: Int) {
        var value: UInt64 = 0
        for index in 0..<6 { value = value << 8 | UInt64(bytes.byte(at: offset + index)) }
        self.value = value
    }

    /// ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(0xffff_ffff_ffff)
    /// 00:00:00:00:00:00, the "unknown" target of an ARP request.
    public static let zero = MACAddress(0)

    /// Appends the six bytes.
    public func append(to bytes: inout [UInt8]) {
        for shift in stride(from: 40, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Writes the six bytes at `index`.
    public func write(to bytes: inout [UInt8], at index: Int) {
        for position in 0..<6 { bytes[index + position] = UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * position)) }
    }

    /// True for group addresses (broadcast and multicast): the low bit of the first byte.
    public var isGroup: Bool { (value >> 40) & 1 == 1 }

    /// `52:54:00:88:00:0a`.
    public var text: String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        var text = ""
        for position in 0..<6 {
            let byte = UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * position))
            if position > 0 { text.append(":") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }
}

/// A TCP sequence number: 32-bit arithmetic modulo 2^32, compared as RFC 9293 (section 3.4)
/// does, by the sign of the difference, so comparisons stay right across the wrap.
public struct SequenceNumber: Equatable, Hashable, Sendable {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// `self + count`, wrapping.
    public static func + (lhs: SequenceNumber, rhs: UInt32) -> SequenceNumber { SequenceNumber(lhs.value &+ rhs) }

    /// The distance from `rhs` to `lhs`, as a signed count (negative when `lhs` is before `rhs`).
    public static func - (lhs: SequenceNumber, rhs: SequenceNumber) -> Int32 {
        Int32(bitPattern: lhs.value &- rhs.value)
    }

    public static func += (lhs: inout SequenceNumber, rhs: UInt32) { lhs = lhs + rhs }

    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs - rhs < 0 }
    public static func <= (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs - rhs <= 0 }
    public static func > (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs - rhs > 0 }
    public static func >= (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool { lhs - rhs >= 0 }

    /// True when `self` lies in `[start, start + length)`.
    public func isWithin(_ start: SequenceNumber, length: UInt32) -> Bool {
        value &- start.value < length
    }
}

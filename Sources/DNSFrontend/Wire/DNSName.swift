/// A domain name, held as its uncompressed wire form: each label preceded by its length, then
/// the zero byte of the root (`5 hello 6 summon 4 test 0`).
///
/// One array instead of one per label: parsing a name is one allocation, and comparing,
/// compressing and copying it touch a single buffer (per-label arrays made reference counting
/// the largest cost of answering a query). Equality and hashing compare bytes exactly, so an
/// answer can echo the case the client used; DNS's case-insensitive comparisons are
/// `equalsIgnoringCase(_:)`, `isSubdomain(of:)` and `lowercased()`. Every `DNSName` is valid for
/// the wire: labels of 1...63 bytes, 255 wire bytes in all.
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The longest label the wire format allows (RFC 1035 section 2.3.4).
    public static let maxLabelLength = 63
    /// The longest name in wire bytes, length bytes and the root byte included.
    public static let maxWireLength = 255

    /// The root name, `.`, which has no labels.
    public static let root = DNSName(uncheckedWire: [0])

    /// The uncompressed wire form, ending with the root's zero byte.
    public private(set) var wire: [UInt8]

    /// Creates a name from its labels, leftmost first.
    ///
    /// Returns nil if a label is empty or longer than 63 bytes, or the name would take more than
    /// 255 bytes on the wire.
    public init?(labels: [[UInt8]]) {
        var wire: [UInt8] = []
        wire.reserveCapacity(labels.reduce(1) { $0 + 1 + $1.count })
        for label in labels {
            guard !label.isEmpty, label.count <= Self.maxLabelLength else { return nil }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= Self.maxWireLength else { return nil }
        self.wire = wire
    }

    /// For callers that have already checked the limits and built the wire form, such as the
    /// parser.
    init(uncheckedWire wire: [UInt8]) {
        self.wire = wire
    }

    /// The labels, leftmost first, without the empty root label. Allocates; the hot paths use
    /// `wire`.
    public var labels: [[UInt8]] {
        var labels: [[UInt8]] = []
        var position = 0
        while wire[position] != 0 {
            let length = Int(wire[position])
            labels.append(Array(wire[position + 1..<position + 1 + length]))
            position += 1 + length
        }
        return labels
    }

    /// How many labels the name has; 0 for the root.
    public var labelCount: Int {
        var count = 0
        var position = 0
        while wire[position] != 0 {
            count += 1
            position += 1 + Int(wire[position])
        }
        return count
    }

    /// The size of the uncompressed name on the wire, including the root byte.
    public var wireLength: Int { wire.count }

    /// True for the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// The name as dotted text; see `text`.
    public var description: String { text }

    /// The name with ASCII letters folded to lower case; other bytes are unchanged. Length
    /// bytes are at most 63, below every letter, so the whole wire form can be mapped.
    public func lowercased() -> DNSName {
        DNSName(uncheckedWire: wire.map(Self.asciiLowercased))
    }

    /// Compares names the way DNS does: ASCII letters match regardless of case.
    public func equalsIgnoringCase(_ other: DNSName) -> Bool {
        wire.count == other.wire.count && Self.bytesEqualIgnoringCase(wire, from: 0, other.wire)
    }

    /// True if this name is `zone` or lies below it, ignoring ASCII case.
    ///
    /// Every name is a subdomain of the root, and of itself.
    public func isSubdomain(of zone: DNSName) -> Bool {
        let offset = wire.count - zone.wire.count
        guard offset >= 0 else { return false }
        var position = 0
        while position < offset { position += 1 + Int(wire[position]) }
        return position == offset && Self.bytesEqualIgnoringCase(wire, from: offset, zone.wire)
    }

    /// Whether `a[start...]` equals all of `b`, ignoring ASCII case; the lengths must match.
    private static func bytesEqualIgnoringCase(_ a: [UInt8], from start: Int, _ b: [UInt8]) -> Bool {
        for index in b.indices where asciiLowercased(a[start + index]) != asciiLowercased(b[index]) {
            return false
        }
        return true
    }

    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

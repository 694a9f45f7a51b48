/// A domain name: a sequence of labels held as raw bytes, leftmost label first.
///
/// Equality and hashing compare bytes exactly, so an answer can echo the case the client used;
/// DNS's case-insensitive comparisons are `equalsIgnoringCase(_:)`, `isSubdomain(of:)` and
/// `lowercased()`. Every `DNSName` is valid for the wire: labels of 1...63 bytes, 255 wire bytes
/// in all.
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The longest label the wire format allows (RFC 1035 section 2.3.4).
    public static let maxLabelLength = 63
    /// The longest name in wire bytes, length bytes and the root byte included.
    public static let maxWireLength = 255

    /// The root name, `.`, which has no labels.
    public static let root = DNSName(uncheckedLabels: [])

    /// The labels, leftmost first, without the empty root label.
    public private(set) var labels: [[UInt8]]

    /// Creates a name from its labels, leftmost first.
    ///
    /// Returns nil if a label is empty or longer than 63 bytes, or the name would take more than
    /// 255 bytes on the wire.
    public init?(labels: [[UInt8]]) {
        var length = 1
        for label in labels {
            guard !label.isEmpty, label.count <= Self.maxLabelLength else { return nil }
            length += 1 + label.count
        }
        guard length <= Self.maxWireLength else { return nil }
        self.labels = labels
    }

    /// For callers that have already checked the limits, such as the parser.
    init(uncheckedLabels labels: [[UInt8]]) {
        self.labels = labels
    }

    /// The size of the uncompressed name on the wire, including the root byte.
    public var wireLength: Int {
        labels.reduce(1) { $0 + 1 + $1.count }
    }

    /// True for the root name.
    public var isRoot: Bool { labels.isEmpty }

    /// The name as dotted text; see `text`.
    public var description: String { text }

    /// The name with ASCII letters folded to lower case; other bytes are unchanged.
    public func lowercased() -> DNSName {
        DNSName(uncheckedLabels: labels.map { $0.map(Self.asciiLowercased) })
    }

    /// Compares names the way DNS does: ASCII letters match regardless of case.
    public func equalsIgnoringCase(_ other: DNSName) -> Bool {
        labels.count == other.labels.count
            && zip(labels, other.labels).allSatisfy(Self.labelsEqualIgnoringCase)
    }

    /// True if this name is `zone` or lies below it, ignoring ASCII case.
    ///
    /// Every name is a subdomain of the root, and of itself.
    public func isSubdomain(of zone: DNSName) -> Bool {
        labels.count >= zone.labels.count
            && zip(labels.suffix(zone.labels.count), zone.labels)
                .allSatisfy(Self.labelsEqualIgnoringCase)
    }

    private static func labelsEqualIgnoringCase(_ pair: ([UInt8], [UInt8])) -> Bool {
        pair.0.count == pair.1.count
            && zip(pair.0, pair.1).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

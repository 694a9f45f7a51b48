extension DNSName {
    /// Parses dotted text such as `hello.summon.test` or `hello.summon.test.`.
    ///
    /// The trailing dot is optional and `.` alone is the root. `\DDD` (three decimal digits) and
    /// `\c` (any other character taken literally) escape bytes, as in zone files. Returns nil for
    /// empty text, empty labels (`a..b`, `.a`), labels over 63 bytes and names over 255 wire bytes.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        if bytes == [Self.dot] {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case Self.dot:
                guard !current.isEmpty else { return nil }
                labels.append(current)
                current = []
            case Self.backslash:
                guard let (value, consumed) = Self.unescape(bytes, at: index) else { return nil }
                current.append(value)
                index += consumed
            default:
                current.append(byte)
            }
            // Stop early on absurd input instead of building huge arrays.
            guard current.count <= Self.maxLabelLength else { return nil }
        }
        if !current.isEmpty { labels.append(current) }
        guard !labels.isEmpty else { return nil }
        self.init(labels: labels)
    }

    /// The name as dotted text, always with the trailing dot; the root is `.`.
    ///
    /// Bytes outside printable ASCII, spaces, dots and backslashes inside labels are written as
    /// `\DDD`, so `DNSName(name.text) == name` for every name.
    public var text: String {
        guard !isRoot else { return "." }
        var out: [UInt8] = []
        out.reserveCapacity(wireLength)
        var position = 0
        while wire[position] != 0 {
            let end = position + 1 + Int(wire[position])
            for byte in wire[position + 1..<end] {
                if byte > 0x20, byte < 0x7F, byte != Self.dot, byte != Self.backslash {
                    out.append(byte)
                } else {
                    out += [
                        Self.backslash, 0x30 + byte / 100, 0x30 + byte / 10 % 10, 0x30 + byte % 10,
                    ]
                }
            }
            out.append(Self.dot)
            position = end
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let dot = UInt8(ascii: ".")
    private static let backslash = UInt8(ascii: "\\")

    /// Decodes the escape after a backslash: the byte and how many text bytes it used.
    private static func unescape(_ bytes: [UInt8], at index: Int) -> (UInt8, Int)? {
        guard index < bytes.count else { return nil }
        guard isDigit(bytes[index]) else { return (bytes[index], 1) }
        guard index + 3 <= bytes.count, bytes[index..<index + 3].allSatisfy(isDigit) else {
            return nil
        }
        let value = bytes[index..<index + 3].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard value <= 255 else { return nil }
        return (UInt8(value), 3)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}

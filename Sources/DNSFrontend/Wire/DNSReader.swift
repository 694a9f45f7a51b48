/// A cursor over a received message that reads big-endian fields and compressed names.
///
/// `end` bounds the fields read in sequence, so a reader limited to one record's RDATA cannot
/// read into the next record; compression pointers may still reach anywhere earlier in `bytes`.
struct DNSReader {
    /// A 255-byte name has at most 127 labels, and a sane compressor adds one label per pointer.
    static let maxPointerHops = 127

    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
        self.end = bytes.count
    }

    private init(_ bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset == end }

    mutating func readUInt8() throws(DNSParseError) -> UInt8 {
        guard offset < end else { throw .truncated(at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSParseError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(at: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSParseError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(at: offset) }
        defer { offset += 4 }
        return (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    mutating func readBytes(_ count: Int) throws(DNSParseError) -> [UInt8] {
        guard remaining >= count else { throw .truncated(at: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Splits off the next `length` bytes as a reader of their own, for one record's RDATA.
    mutating func readSubReader(length: Int) throws(DNSParseError) -> DNSReader {
        guard remaining >= length else { throw .rdataPastEnd(at: offset) }
        defer { offset += length }
        return DNSReader(bytes, offset: offset, end: offset + length)
    }

    /// Reads a possibly compressed name (RFC 1035 section 4.1.4).
    ///
    /// Loop safety: every pointer must point strictly before the start of the run of labels it
    /// ends, so the positions visited strictly decrease; hops are capped as well.
    mutating func readName() throws(DNSParseError) -> DNSName {
        let start = offset
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var wireLength = 1
        var position = offset
        var runStart = offset
        var limit = end
        var hops = 0
        var resumeAt: Int?
        while true {
            guard position < limit else { throw .truncated(at: position) }
            let lengthByte = bytes[position]
            switch lengthByte >> 6 {
            case 0b00 where lengthByte == 0:
                offset = resumeAt ?? position + 1
                wire.append(0)
                return DNSName(uncheckedWire: wire)
            case 0b00:
                let length = Int(lengthByte)
                guard position + 1 + length <= limit else { throw .truncated(at: position) }
                wireLength += 1 + length
                guard wireLength <= DNSName.maxWireLength else { throw .nameTooLong(at: start) }
                wire.append(contentsOf: bytes[position..<position + 1 + length])
                position += 1 + length
            case 0b11:
                guard position + 2 <= limit else { throw .truncated(at: position) }
                let target = Int(lengthByte & 0x3F) << 8 | Int(bytes[position + 1])
                // No name can live in the header, and a forward pointer is how loops start.
                guard target >= DNSHeader.wireLength, target <= position else {
                    throw .badPointer(at: position)
                }
                guard target < runStart else { throw .pointerLoop(at: position) }
                hops += 1
                guard hops <= Self.maxPointerHops else { throw .tooManyPointers(at: start) }
                if resumeAt == nil { resumeAt = position + 2 }
                (position, runStart, limit) = (target, target, bytes.count)
            default:
                throw .badLabelType(at: position)
            }
        }
    }
}

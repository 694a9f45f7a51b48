extension DNSMessage {
    /// Parses a complete message, as received over UDP or after the TCP length prefix.
    ///
    /// Every section count is honoured; a count announcing more entries than the bytes hold is
    /// `truncated`. Bytes after the last announced record are ignored, as NSD and BIND do: they
    /// carry no meaning, and refusing them would only turn some odd clients away.
    /// OPT records are checked as RFC 6891 asks: at most one, in the additional section, owned
    /// by the root.
    public init(parsing bytes: [UInt8]) throws(DNSParseError) {
        guard let header = Self.parseHeader(bytes), let counts = Self.parseSectionCounts(bytes)
        else { throw .tooShortForHeader }
        var reader = DNSReader(bytes, offset: DNSHeader.wireLength)
        var questions: [DNSQuestion] = []
        for _ in 0..<counts.questions {
            questions.append(try Self.readQuestion(&reader))
        }
        let answers = try Self.readRecords(&reader, count: counts.answers, allowingOPT: false)
        let authorities = try Self.readRecords(
            &reader, count: counts.authorities, allowingOPT: false)
        let additionals = try Self.readRecords(
            &reader, count: counts.additionals, allowingOPT: true)
        self.init(
            header: header, questions: questions, answers: answers, authorities: authorities,
            additionals: additionals)
    }

    /// Reads only the header, so a server can answer FORMERR with the right id when the rest of
    /// the message does not parse. Nil if there are fewer than 12 bytes.
    public static func parseHeader(_ bytes: [UInt8]) -> DNSHeader? {
        guard bytes.count >= DNSHeader.wireLength else { return nil }
        return DNSHeader(id: uint16(bytes, at: 0), flags: uint16(bytes, at: 2))
    }

    /// Reads the section counts as the header announces them, whether or not they are true.
    /// Nil if there are fewer than 12 bytes.
    public static func parseSectionCounts(_ bytes: [UInt8]) -> DNSSectionCounts? {
        guard bytes.count >= DNSHeader.wireLength else { return nil }
        return DNSSectionCounts(
            questions: uint16(bytes, at: 4), answers: uint16(bytes, at: 6),
            authorities: uint16(bytes, at: 8), additionals: uint16(bytes, at: 10))
    }

    private static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private static func readQuestion(
        _ reader: inout DNSReader
    ) throws(DNSParseError) -> DNSQuestion {
        let name = try reader.readName()
        let type = DNSRecordType(rawValue: try reader.readUInt16())
        return DNSQuestion(
            name: name, type: type, class: DNSClass(rawValue: try reader.readUInt16()))
    }

    private static func readRecords(
        _ reader: inout DNSReader, count: UInt16, allowingOPT: Bool
    ) throws(DNSParseError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        var sawOPT = false
        for _ in 0..<count {
            let start = reader.offset
            let record = try readRecord(&reader)
            guard record.type == .opt else {
                records.append(record)
                continue
            }
            guard allowingOPT, record.name.isRoot else { throw .misplacedOPTRecord(at: start) }
            guard !sawOPT else { throw .duplicateOPTRecord(at: start) }
            sawOPT = true
            records.append(record)
        }
        return records
    }

    private static func readRecord(
        _ reader: inout DNSReader
    ) throws(DNSParseError) -> DNSResourceRecord {
        let name = try reader.readName()
        let type = DNSRecordType(rawValue: try reader.readUInt16())
        let `class` = DNSClass(rawValue: try reader.readUInt16())
        let ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        var rdata = try reader.readSubReader(length: length)
        let data = try DNSRecordData(parsing: &rdata, type: type, class: `class`)
        return DNSResourceRecord(name: name, type: type, class: `class`, ttl: ttl, data: data)
    }
}

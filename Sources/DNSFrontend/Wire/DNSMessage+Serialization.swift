extension DNSMessage {
    /// The message in wire format, with section counts taken from the arrays and names
    /// compressed: owner names, question names, and names in NS, CNAME and SOA data.
    ///
    /// - Precondition: no section holds more than 65535 entries and no RDATA exceeds 65535
    ///   bytes; such a message cannot be represented.
    public func serialized() -> [UInt8] {
        var writer = DNSWriter()
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags)
        writeCount(questions.count, to: &writer)
        writeCount(answers.count, to: &writer)
        writeCount(authorities.count, to: &writer)
        writeCount(additionals.count, to: &writer)
        for question in questions {
            writer.writeName(question.name)
            writer.writeUInt16(question.type.rawValue)
            writer.writeUInt16(question.class.rawValue)
        }
        for record in answers { write(record, to: &writer) }
        for record in authorities { write(record, to: &writer) }
        for record in additionals { write(record, to: &writer) }
        return writer.bytes
    }

    private func writeCount(_ count: Int, to writer: inout DNSWriter) {
        precondition(count <= Int(UInt16.max), "DNSMessage: section of \(count) entries")
        writer.writeUInt16(UInt16(count))
    }

    private func write(_ record: DNSResourceRecord, to writer: inout DNSWriter) {
        writer.writeName(record.name)
        writer.writeUInt16(record.type.rawValue)
        writer.writeUInt16(record.class.rawValue)
        writer.writeUInt32(record.ttl)
        writer.writeWithUInt16Length { record.data.write(to: &$0) }
    }

    /// The message in wire format, cut down to fit `maxSize` bytes, such as a UDP payload size.
    ///
    /// If the whole message does not fit, the result has TC set and keeps the header, the
    /// questions and the OPT record (RFC 6891 section 7), dropping every other record, so the
    /// client retries over TCP (RFC 2181 section 9). Should even that not fit, the OPT record
    /// and then the questions are dropped too; the header alone is always returned.
    public func serialized(maxSize: Int) -> [UInt8] {
        let full = serialized()
        guard full.count > maxSize else { return full }
        var truncated = DNSMessage(header: header, questions: questions)
        truncated.header.isTruncated = true
        truncated.additionals = additionals.filter { $0.type == .opt }
        var bytes = truncated.serialized()
        if bytes.count > maxSize, !truncated.additionals.isEmpty {
            truncated.additionals = []
            bytes = truncated.serialized()
        }
        if bytes.count > maxSize {
            truncated.questions = []
            bytes = truncated.serialized()
        }
        return bytes
    }
}

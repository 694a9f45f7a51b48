extension DNSRecordData {
    /// Decodes RDATA from a reader limited to exactly RDLENGTH bytes.
    ///
    /// The data must use every byte: an A record of 5 bytes, or a name followed by junk, is
    /// `badRDataLength`, as is a field running past RDLENGTH.
    init(
        parsing reader: inout DNSReader, type: DNSRecordType, class: DNSClass
    ) throws(DNSParseError) {
        let start = reader.offset
        do {
            self = try Self.decode(&reader, type: type, class: `class`)
        } catch .truncated {
            throw .badRDataLength(type, at: start)
        }
        guard reader.isAtEnd else { throw .badRDataLength(type, at: start) }
    }

    private static func decode(
        _ reader: inout DNSReader, type: DNSRecordType, class: DNSClass
    ) throws(DNSParseError) -> DNSRecordData {
        switch type {
        case .a where `class` == .internet:
            guard reader.remaining == 4 else { throw .truncated(at: reader.offset) }
            return .a(DNSIPv4Address(try reader.readUInt32()))
        case .aaaa where `class` == .internet:
            guard reader.remaining == 16,
                let address = DNSIPv6Address(bytes: try reader.readBytes(16))
            else { throw .truncated(at: reader.offset) }
            return .aaaa(address)
        case .ns:
            return .ns(try reader.readName())
        case .cname:
            return .cname(try reader.readName())
        case .soa:
            return .soa(try decodeSOA(&reader))
        case .txt:
            var strings: [[UInt8]] = []
            while !reader.isAtEnd {
                strings.append(try reader.readBytes(Int(try reader.readUInt8())))
            }
            return .txt(strings)
        case .opt:
            var options: [DNSEDNSOption] = []
            while !reader.isAtEnd {
                let code = try reader.readUInt16()
                let data = try reader.readBytes(Int(try reader.readUInt16()))
                options.append(DNSEDNSOption(code: code, data: data))
            }
            return .opt(options)
        default:
            return .unknown(try reader.readBytes(reader.remaining))
        }
    }

    private static func decodeSOA(_ reader: inout DNSReader) throws(DNSParseError) -> DNSSOA {
        DNSSOA(
            primaryServer: try reader.readName(),
            responsibleMailbox: try reader.readName(),
            serial: try reader.readUInt32(),
            refresh: try reader.readUInt32(),
            retry: try reader.readUInt32(),
            expire: try reader.readUInt32(),
            minimum: try reader.readUInt32())
    }
}

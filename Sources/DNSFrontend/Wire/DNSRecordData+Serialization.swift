extension DNSRecordData {
    /// Appends the RDATA without its length; names in NS, CNAME and SOA data are compressed.
    func write(to writer: inout DNSWriter) {
        switch self {
        case .a(let address):
            writer.writeUInt32(address.value)
        case .aaaa(let address):
            writer.writeBytes(address.bytes)
        case .ns(let name), .cname(let name):
            writer.writeName(name)
        case .soa(let soa):
            writer.writeName(soa.primaryServer)
            writer.writeName(soa.responsibleMailbox)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] {
                writer.writeUInt32(value)
            }
        case .txt(let strings):
            for string in strings {
                Self.writeCharacterStrings(string, to: &writer)
            }
        case .opt(let options):
            for option in options {
                writer.writeUInt16(option.code)
                writer.writeWithUInt16Length { $0.writeBytes(option.data) }
            }
        case .unknown(let bytes):
            writer.writeBytes(bytes)
        }
    }

    /// A character-string holds at most 255 bytes; longer text goes out as consecutive strings,
    /// which is how TXT records carry long values such as DKIM keys.
    private static func writeCharacterStrings(_ string: [UInt8], to writer: inout DNSWriter) {
        var rest = string[...]
        repeat {
            let piece = rest.prefix(255)
            writer.writeUInt8(UInt8(piece.count))
            writer.writeBytes(piece)
            rest = rest.dropFirst(piece.count)
        } while !rest.isEmpty
    }
}

/// Why a message could not be parsed. Offsets count bytes from the start of the message.
///
/// Any of these is a reason to answer FORMERR, using `DNSMessage.parseHeader(_:)` for the id.
public enum DNSParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message is shorter than the 12-byte header.
    case tooShortForHeader
    /// The message ends inside a field that starts at this offset; often a section count that
    /// announces more entries than the message holds.
    case truncated(at: Int)
    /// The name starting at this offset is longer than 255 bytes once decompressed.
    case nameTooLong(at: Int)
    /// The length byte at this offset has its top bits set to 0b01 or 0b10: a reserved label
    /// type, or, read as a plain length, a label longer than the 63 bytes allowed. The two cannot
    /// be told apart on the wire.
    case badLabelType(at: Int)
    /// The compression pointer at this offset points forward or into the header.
    case badPointer(at: Int)
    /// The compression pointer at this offset points at itself or back into the labels just
    /// read before it, which would loop forever.
    case pointerLoop(at: Int)
    /// The name starting at this offset follows more compression pointers than any sane name
    /// needs (one per label at most).
    case tooManyPointers(at: Int)
    /// The RDATA starting at this offset announces more bytes than the message holds.
    case rdataPastEnd(at: Int)
    /// The RDATA starting at this offset does not have the layout its type requires, or does
    /// not use exactly its RDLENGTH.
    case badRDataLength(DNSRecordType, at: Int)
    /// The OPT record at this offset is outside the additional section or its owner is not the
    /// root (RFC 6891 section 6.1.1).
    case misplacedOPTRecord(at: Int)
    /// The OPT record at this offset is the message's second one (RFC 6891 section 6.1.1).
    case duplicateOPTRecord(at: Int)

    /// A sentence for logs.
    public var description: String {
        switch self {
        case .tooShortForHeader: "message is shorter than the 12-byte DNS header"
        case .truncated(let at): "message ends inside the field at byte \(at)"
        case .nameTooLong(let at): "name at byte \(at) is longer than 255 bytes"
        case .badLabelType(let at):
            "label at byte \(at) is longer than 63 bytes or of a reserved type"
        case .badPointer(let at): "compression pointer at byte \(at) does not point backwards"
        case .pointerLoop(let at): "compression pointer at byte \(at) loops"
        case .tooManyPointers(let at): "name at byte \(at) follows too many compression pointers"
        case .rdataPastEnd(let at): "record data at byte \(at) runs past the end of the message"
        case .badRDataLength(let type, let at): "\(type) record data at byte \(at) is malformed"
        case .misplacedOPTRecord(let at): "OPT record at byte \(at) is misplaced"
        case .duplicateOPTRecord(let at): "OPT record at byte \(at) is a second OPT record"
        }
    }
}

/// The fixed part of a message (RFC 1035 section 4.1.1), without the section counts.
///
/// Counts are derived from the sections when a `DNSMessage` is serialised, so they can never
/// disagree with the content; `DNSSectionCounts` reads them from raw bytes. The reserved Z bit is
/// not modelled: it is ignored when parsing and sent as zero.
public struct DNSHeader: Hashable, Sendable {
    /// The size of the header on the wire.
    public static let wireLength = 12

    /// The query identifier, copied into the response.
    public var id: UInt16
    /// QR: false for a query, true for a response.
    public var isResponse: Bool
    /// The kind of query.
    public var opcode: DNSOpcode
    /// AA: the responding server is an authority for the name in the question.
    public var isAuthoritative: Bool
    /// TC: the message was truncated to fit the transport; retry over TCP.
    public var isTruncated: Bool
    /// RD: the client asks for recursion; copied into the response.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    /// AD: the data was authenticated with DNSSEC (RFC 4035).
    public var authenticData: Bool
    /// CD: the client asks the resolver not to check signatures (RFC 4035).
    public var checkingDisabled: Bool
    /// The low four bits of the response code as carried in the header.
    ///
    /// An OPT record carries the high eight bits; `DNSMessage.responseCode` reads and writes the
    /// whole code. Only the low four bits of this value are sent.
    public var responseCodeLow: UInt8

    /// Creates a header; everything defaults to zero, which is a plain query.
    public init(
        id: UInt16 = 0, isResponse: Bool = false, opcode: DNSOpcode = .query,
        isAuthoritative: Bool = false, isTruncated: Bool = false, recursionDesired: Bool = false,
        recursionAvailable: Bool = false, authenticData: Bool = false,
        checkingDisabled: Bool = false, responseCodeLow: UInt8 = 0
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.responseCodeLow = responseCodeLow
    }

    /// Decodes the identifier and the 16-bit flags word.
    init(id: UInt16, flags: UInt16) {
        self.init(
            id: id,
            isResponse: flags & 0x8000 != 0,
            opcode: DNSOpcode(rawValue: UInt8(flags >> 11 & 0x0F)),
            isAuthoritative: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0,
            recursionAvailable: flags & 0x0080 != 0,
            authenticData: flags & 0x0020 != 0,
            checkingDisabled: flags & 0x0010 != 0,
            responseCodeLow: UInt8(flags & 0x000F))
    }

    /// The 16-bit flags word: QR, opcode, AA, TC, RD, RA, Z (zero), AD, CD, RCODE.
    var flags: UInt16 {
        var flags = UInt16(opcode.rawValue & 0x0F) << 11 | UInt16(responseCodeLow & 0x0F)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        if authenticData { flags |= 0x0020 }
        if checkingDisabled { flags |= 0x0010 }
        return flags
    }
}

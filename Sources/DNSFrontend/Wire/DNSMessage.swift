/// A whole DNS message (RFC 1035 section 4.1), the one model used for parsing and serialising.
///
/// Section counts are not stored: serialising derives them from the arrays. An OPT record, if
/// any, sits in `additionals`; `edns` and `responseCode` give typed access to it.
public struct DNSMessage: Hashable, Sendable {
    /// The identifier, flags and the low bits of the response code.
    public var header: DNSHeader
    /// The question section; queries normally carry exactly one.
    public var questions: [DNSQuestion]
    /// The answer section.
    public var answers: [DNSResourceRecord]
    /// The authority section: NS records of a delegation, or the SOA of a negative answer.
    public var authorities: [DNSResourceRecord]
    /// The additional section, including the OPT pseudo-record.
    public var additionals: [DNSResourceRecord]

    /// Creates a message; sections default to empty.
    public init(
        header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
        authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }
}

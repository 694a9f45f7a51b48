/// The four section counts as announced in a message header (QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT).
///
/// Only for inspecting raw messages, for example to refuse a query with QDCOUNT other than 1 or
/// to log what a malformed packet claimed; `DNSMessage` derives the counts it sends.
public struct DNSSectionCounts: Hashable, Sendable {
    /// QDCOUNT.
    public var questions: UInt16
    /// ANCOUNT.
    public var answers: UInt16
    /// NSCOUNT.
    public var authorities: UInt16
    /// ARCOUNT.
    public var additionals: UInt16

    /// Creates counts as a header would announce them.
    public init(questions: UInt16, answers: UInt16, authorities: UInt16, additionals: UInt16) {
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }
}

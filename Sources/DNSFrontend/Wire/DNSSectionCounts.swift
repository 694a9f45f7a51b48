/// The four section counts as announced in a message header (QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT).
///
/// Only for inspecting raw messages, for example to refuse a query with QDCOUNT other than 1 or
/// to log what a malformed packet claimed; `DNSMessage` derives the counts it sends.
public struct DNSSectionCounts: Hashable, Sendable {
    public var questions: UInt16
    public var answers: UInt16
    public var authorities: UInt16
    public var additionals: UInt16

    public init(questions: UInt16, answers: UInt16, authorities: UInt16, additionals: UInt16) {
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }
}

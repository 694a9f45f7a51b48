/// An entry of the question section (RFC 1035 section 4.1.2).
public struct DNSQuestion: Hashable, Sendable {
    /// The name asked about, with the client's case preserved.
    public var name: DNSName
    /// QTYPE: the record type asked for.
    public var type: DNSRecordType
    /// QCLASS: the class asked for, normally `.internet`.
    public var `class`: DNSClass

    /// Creates a question, class IN unless told otherwise.
    public init(name: DNSName, type: DNSRecordType, class: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.class = `class`
    }
}

import Testing

@testable import DNSFrontend

@Suite("DNS truncation to a size limit")
struct DNSTruncationTests {
    static let host = DNSName.test("hello.summon.test")

    /// A response with `count` A records and an OPT record, about 16 bytes per record.
    static func bigResponse(count: Int) -> DNSMessage {
        var message = DNSMessage(
            header: DNSHeader(
                id: 9, isResponse: true, isAuthoritative: true, recursionDesired: true),
            questions: [DNSQuestion(name: host, type: .a)],
            answers: (0..<count).map {
                DNSResourceRecord(name: host, ttl: 5, data: .a(DNSIPv4Address(UInt32($0))))
            },
            authorities: [
                DNSResourceRecord(
                    name: .test("summon.test"), ttl: 60, data: .ns(.test("ns1.summon.test")))
            ],
            additionals: [
                DNSResourceRecord(
                    name: .test("ns1.summon.test"), ttl: 60, data: .a(DNSIPv4Address(1, 1, 1, 1)))
            ])
        message.edns = DNSEDNS(
            udpPayloadSize: 1232,
            options: [DNSEDNSOption(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8])])
        return message
    }

    @Test func aMessageThatFitsIsUntouched() {
        let message = Self.bigResponse(count: 3)
        let full = message.serialized()
        #expect(message.serialized(maxSize: full.count) == full)
        #expect(message.serialized(maxSize: 512) == full)
    }

    @Test func anOversizedMessageKeepsHeaderQuestionAndOPTWithTC() throws {
        let message = Self.bigResponse(count: 100)
        #expect(message.serialized().count > 512)
        let bytes = message.serialized(maxSize: 512)
        #expect(bytes.count <= 512)
        let parsed = try DNSMessage(parsing: bytes)
        var expectedHeader = message.header
        expectedHeader.isTruncated = true
        #expect(parsed.header == expectedHeader)
        #expect(parsed.questions == message.questions)
        #expect(parsed.answers.isEmpty && parsed.authorities.isEmpty)
        #expect(parsed.additionals == [message.edns!.record])
    }

    @Test func oneByteTooManyIsEnoughToTruncate() throws {
        let message = Self.bigResponse(count: 3)
        let full = message.serialized()
        let parsed = try DNSMessage(parsing: message.serialized(maxSize: full.count - 1))
        #expect(parsed.header.isTruncated)
        #expect(parsed.answers.isEmpty)
    }

    @Test func theExtendedResponseCodeSurvivesTruncation() throws {
        var message = Self.bigResponse(count: 100)
        message.responseCode = .badVersion
        let parsed = try DNSMessage(parsing: message.serialized(maxSize: 512))
        #expect(parsed.responseCode == .badVersion)
    }

    @Test func tinyLimitsDropOPTThenQuestions() throws {
        let message = Self.bigResponse(count: 100)
        // Header 12 + question 23 = 35 bytes; the OPT record would add 23 more.
        let withoutOPT = try DNSMessage(parsing: message.serialized(maxSize: 40))
        #expect(withoutOPT.header.isTruncated)
        #expect(withoutOPT.questions == message.questions)
        #expect(withoutOPT.additionals.isEmpty)
        let headerOnly = message.serialized(maxSize: 20)
        #expect(headerOnly.count == DNSHeader.wireLength)
        #expect(try DNSMessage(parsing: headerOnly).header.isTruncated)
        #expect(message.serialized(maxSize: 0).count == DNSHeader.wireLength)
    }
}

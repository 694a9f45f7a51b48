import Testing

@testable import DNSFrontend

/// RDATA that disagrees with its type or its RDLENGTH, and misplaced OPT records.
@Suite("DNS hostile RDATA")
struct DNSRDataHostileInputTests {
    /// One answer with a root owner; its RDATA starts at offset 23.
    static func answer(type: UInt16, class: UInt16 = 1, rdata: [UInt8]) -> [UInt8] {
        rawMessage(
            answers: 1,
            body: [0x00] + recordFields(type: type, class: `class`, rdlength: UInt16(rdata.count))
                + rdata)
    }

    static let malformed: [(DNSRecordType, [UInt8])] = [
        (.a, [10, 77, 0]),
        (.a, [10, 77, 0, 10, 0]),
        (.aaaa, [10, 77, 0, 10]),
        (.aaaa, Array(repeating: 0, count: 17)),
        (.ns, []),
        (.ns, wireName("ns1.test") + [0x00]),
        (.cname, Array(wireName("ns1.test").dropLast())),
        (.soa, wireName("a") + wireName("b") + Array(repeating: 0, count: 19)),
        (.soa, wireName("a") + wireName("b") + Array(repeating: 0, count: 21)),
        (.txt, [5, 0x61, 0x62]),
        (.opt, [0, 10, 0, 8, 1, 2, 3]),
        (.opt, [0, 10, 0]),
    ]

    @Test(arguments: 0..<malformed.count)
    func rdataMustMatchItsTypeAndLengthExactly(_ index: Int) {
        let (type, rdata) = Self.malformed[index]
        let bytes =
            type == .opt
            ? rawMessage(
                additionals: 1,
                body: [0x00] + recordFields(type: 41, rdlength: UInt16(rdata.count)) + rdata)
            : Self.answer(type: type.rawValue, rdata: rdata)
        #expect(throws: DNSParseError.badRDataLength(type, at: 23)) {
            try DNSMessage(parsing: bytes)
        }
    }

    @Test func compressedNameInRDataMayPointBackButNotPastItsEnd() throws {
        // Question "summon.test" at 12; NS data "ns1" + pointer to it.
        let question = wireName("summon.test") + [0, 2, 0, 1]
        let rdata: [UInt8] = [3, 0x6E, 0x73, 0x31, 0xC0, 0x0C]
        let good = rawMessage(
            questions: 1, answers: 1,
            body: question + [0xC0, 0x0C] + recordFields(type: 2, rdlength: 6) + rdata)
        #expect(try DNSMessage(parsing: good).answers.first?.data == .ns(.test("ns1.summon.test")))
        // RDLENGTH 5 ends the data inside the pointer.
        let cut = rawMessage(
            questions: 1, answers: 1,
            body: question + [0xC0, 0x0C] + recordFields(type: 2, rdlength: 5) + rdata)
        #expect(throws: DNSParseError.badRDataLength(.ns, at: 12 + question.count + 12)) {
            try DNSMessage(parsing: cut)
        }
    }

    @Test func aOutsideClassINIsOpaque() throws {
        let message = try DNSMessage(parsing: Self.answer(type: 1, class: 3, rdata: [1, 2, 3]))
        #expect(message.answers.first?.data == .unknown([1, 2, 3]))
    }

    @Test func optInTheAnswerSection() {
        #expect(throws: DNSParseError.misplacedOPTRecord(at: 12)) {
            try DNSMessage(parsing: Self.answer(type: 41, rdata: []))
        }
    }

    @Test func optOwnedByANameOtherThanRoot() {
        let bytes = rawMessage(
            additionals: 1, body: wireName("a") + recordFields(type: 41, rdlength: 0))
        #expect(throws: DNSParseError.misplacedOPTRecord(at: 12)) { try DNSMessage(parsing: bytes) }
    }

    @Test func twoOPTRecords() {
        let opt = [0x00] + recordFields(type: 41, class: 1232, ttl: 0, rdlength: 0)
        let bytes = rawMessage(additionals: 2, body: opt + opt)
        #expect(throws: DNSParseError.duplicateOPTRecord(at: 12 + opt.count)) {
            try DNSMessage(parsing: bytes)
        }
    }
}

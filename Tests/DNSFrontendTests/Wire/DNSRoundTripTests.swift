import Testing

@testable import DNSFrontend

@Suite("DNS round trips")
struct DNSRoundTripTests {
    static let zone = DNSName.test("summon.test")
    static let host = DNSName.test("hello.summon.test")

    static let soa = DNSSOA(
        primaryServer: .test("ns1.summon.test"),
        responsibleMailbox: .test("hostmaster.summon.test"),
        serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60)

    /// One record of every shape the codec knows, plus opaque ones.
    static let records: [DNSResourceRecord] = [
        DNSResourceRecord(name: host, ttl: 5, data: .a(DNSIPv4Address(10, 77, 0, 10))),
        DNSResourceRecord(
            name: host, ttl: 5, data: .aaaa(DNSIPv6Address(high: 0xFD00_004D_0000_0000, low: 1))),
        DNSResourceRecord(name: zone, ttl: 3600, data: .ns(.test("ns1.summon.test"))),
        DNSResourceRecord(name: .test("www.summon.test"), ttl: 300, data: .cname(host)),
        DNSResourceRecord(name: zone, ttl: 60, data: .soa(soa)),
        DNSResourceRecord(
            name: host, ttl: 60,
            data: .txt([Array("v=1".utf8), [], Array(repeating: 0x7A, count: 255)])),
        DNSResourceRecord(name: host, ttl: 60, data: .txt([])),
        // MX is not modelled: kept as opaque bytes, preference 10 and an uncompressed name.
        DNSResourceRecord(
            name: zone, type: DNSRecordType(rawValue: 15), class: .internet, ttl: 60,
            data: .unknown([0, 10] + wireName("mail.summon.test"))),
        DNSResourceRecord(
            name: host, type: DNSRecordType(rawValue: 65), class: .internet, ttl: 60,
            data: .unknown([])),
        // A outside class IN has another layout, so it stays opaque.
        DNSResourceRecord(name: host, type: .a, class: .chaos, ttl: 0, data: .unknown([1, 2, 3])),
    ]

    static func message(_ records: [DNSResourceRecord]) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: 42, isResponse: true, isAuthoritative: true),
            questions: [DNSQuestion(name: host, type: .any)], answers: records)
    }

    @Test(arguments: records)
    func everyRecordTypeRoundTrips(_ record: DNSResourceRecord) throws {
        let message = Self.message([record])
        let bytes = message.serialized()
        #expect(try DNSMessage(parsing: bytes) == message)
    }

    @Test func allSectionsAndOPTRoundTripTogether() throws {
        let edns = DNSEDNS(
            udpPayloadSize: 4096, version: 0, dnssecOK: true,
            options: [
                DNSEDNSOption(code: 10, data: [1, 2, 3, 4, 5, 6, 7, 8]),
                DNSEDNSOption(code: 12, data: []),
            ])
        var message = Self.message(Self.records)
        message.authorities = [Self.records[4], Self.records[2]]
        message.additionals = [Self.records[0], edns.record]
        let parsed = try DNSMessage(parsing: message.serialized())
        #expect(parsed == message)
        #expect(parsed.edns == edns)
        #expect(parsed.serialized() == message.serialized())
    }

    @Test func longTXTStringsAreSplitIntoCharacterStrings() throws {
        let long = Array(repeating: UInt8(0x41), count: 600)
        let message = Self.message([DNSResourceRecord(name: Self.host, ttl: 1, data: .txt([long]))])
        let parsed = try DNSMessage(parsing: message.serialized())
        #expect(
            parsed.answers.first?.data
                == .txt([Array(long[..<255]), Array(long[255..<510]), Array(long[510...])]))
    }

    @Test func namesAreCompressedAgainstEarlierSuffixes() {
        let message = DNSMessage(
            header: DNSHeader(id: 1),
            questions: [DNSQuestion(name: Self.host, type: .a)],
            answers: [
                DNSResourceRecord(name: Self.host, ttl: 5, data: .cname(.test("www.summon.test"))),
                DNSResourceRecord(name: Self.zone, ttl: 5, data: .ns(.test("ns1.summon.test"))),
            ])
        let bytes = message.serialized()
        // Question name at 12 (19 bytes), type and class, so the first owner is at 35.
        #expect(Array(bytes[35..<37]) == [0xC0, 0x0C])
        // CNAME data: "www" then a pointer to "summon.test" at 18.
        #expect(Array(bytes[47..<53]) == [0x03, 0x77, 0x77, 0x77, 0xC0, 0x12])
        // Second owner "summon.test" is a pointer to 18 as well.
        #expect(Array(bytes[53..<55]) == [0xC0, 0x12])
        #expect(bytes.count == 71)
    }

    @Test func mixedCaseIsPreservedAndNeverCompressedAcrossCases() throws {
        let asked = DNSName.test("HeLLo.Summon.TEST")
        let message = DNSMessage(
            header: DNSHeader(id: 1, isResponse: true),
            questions: [DNSQuestion(name: asked, type: .a)],
            answers: [
                DNSResourceRecord(name: asked, ttl: 5, data: .a(DNSIPv4Address(1, 2, 3, 4))),
                DNSResourceRecord(name: Self.host, ttl: 5, data: .a(DNSIPv4Address(1, 2, 3, 4))),
            ])
        let bytes = message.serialized()
        let parsed = try DNSMessage(parsing: bytes)
        #expect(parsed == message)
        #expect(parsed.questions[0].name.text == "HeLLo.Summon.TEST.")
        #expect(parsed.answers[0].name.text == "HeLLo.Summon.TEST.")
        #expect(parsed.answers[1].name.text == "hello.summon.test.")
        // The lower-case owner is spelled out in full rather than pointing at the question.
        #expect(bytes.count == 12 + 23 + (2 + 14) + (19 + 14))
    }

    @Test func pointersOnlyTargetTheFirst16KiB() throws {
        let records = (0..<120).map { index in
            DNSResourceRecord(
                name: .test("r\(index).summon.test"), ttl: 1,
                data: .txt([Array(repeating: UInt8(0x61), count: 200)]))
        }
        let message = Self.message(records)
        let bytes = message.serialized()
        #expect(bytes.count > 0x4000)
        #expect(try DNSMessage(parsing: bytes) == message)
    }

    @Test func trailingBytesAfterTheLastSectionAreIgnored() throws {
        let clean = DNSGoldenBytesTests.dnspythonQuery
        #expect(
            try DNSMessage(parsing: clean + [0xDE, 0xAD, 0xBE, 0xEF]) == DNSMessage(parsing: clean))
    }
}

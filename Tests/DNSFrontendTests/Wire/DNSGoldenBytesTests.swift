import Testing

@testable import DNSFrontend

/// Messages produced by real tools, byte for byte.
@Suite("DNS golden bytes")
struct DNSGoldenBytesTests {
    /// `dig @127.0.0.1 -p 53999 hello.summon.test A +tries=1 +time=1` (DiG 9.18.49, Debian 12),
    /// captured with a Python UDP socket: RD and AD set, EDNS 0 with payload 1232 and an 8-byte
    /// client COOKIE option (code 10).
    static let digQuery = WireHex.bytes(
        "585a012000010000000000010568656c6c6f0673756d6d6f6e0474657374000001000100"
            + "002904d000000000000c000a00082df67f5769b3ea4a")

    /// dnspython 2.3: `dns.message.make_query("hello.summon.test", "A", use_edns=0)` with
    /// `id = 0x7c2c`: RD set, EDNS 0 with payload 1232 and no options.
    static let dnspythonQuery = WireHex.bytes(
        "7c2c010000010000000000010568656c6c6f0673756d6d6f6e0474657374000001000100"
            + "002904d0000000000000")

    /// dnspython 2.3: `make_response(query, our_payload=1232)` for `dnspythonQuery`, AA added,
    /// answer `hello.summon.test. 5 IN A 10.77.0.10`. The owner is compressed to `c00c`.
    static let dnspythonResponse = WireHex.bytes(
        "7c2c850000010001000000010568656c6c6f0673756d6d6f6e04746573740000010001c00c"
            + "000100010000000500040a4d000a00002904d0000000000000")

    /// dnspython 2.3: NXDOMAIN for `nope.summon.test AAAA` (id 0x1234, EDNS payload 1232, AA),
    /// authority `summon.test. 60 IN SOA ns1.summon.test. hostmaster.summon.test. 2024010101
    /// 3600 600 86400 60`; the SOA owner and both SOA names are compressed.
    static let dnspythonNXDomain = WireHex.bytes(
        "123485030001000000010001046e6f70650673756d6d6f6e047465737400001c0001c011"
            + "000600010000003c0027036e7331c0110a686f73746d6173746572c01178a3f1750000"
            + "0e1000000258000151800000003c00002904d0000000000000")

    /// dnspython 2.3: id 0xbeef, no EDNS, AA, question `www.summon.test A`; answers
    /// `www 300 CNAME hello.summon.test.` and `hello 5 A 10.77.0.10`, authority
    /// `summon.test. 3600 NS ns1.summon.test.`, additionals `ns1 3600 AAAA fd00:4d::1` and
    /// `ns1 3600 TXT "summoner" "v=1"` (all under summon.test).
    static let dnspythonMixed = WireHex.bytes(
        "beef85000001000200010002037777770673756d6d6f6e04746573740000010001c00c00"
            + "0500010000012c00080568656c6c6fc010c02d000100010000000500040a4d000ac010"
            + "0002000100000e100006036e7331c010c051001c000100000e100010fd00004d000000"
            + "000000000000000001c0510010000100000e10000d0873756d6d6f6e657203763d31")

    @Test func digQueryParsesIntoEveryField() throws {
        let message = try DNSMessage(parsing: Self.digQuery)
        let header = message.header
        #expect(header.id == 0x585A)
        #expect(!header.isResponse)
        #expect(header.opcode == .query)
        #expect(!header.isAuthoritative && !header.isTruncated)
        #expect(header.recursionDesired)
        #expect(!header.recursionAvailable)
        #expect(header.authenticData)
        #expect(!header.checkingDisabled)
        #expect(header.responseCodeLow == 0)
        #expect(message.questions == [DNSQuestion(name: .test("hello.summon.test"), type: .a)])
        #expect(message.answers.isEmpty && message.authorities.isEmpty)
        #expect(message.additionals.count == 1)
        let opt = try #require(message.additionals.first)
        #expect(opt.name == .root && opt.type == .opt)
        #expect(opt.class.rawValue == 1232 && opt.ttl == 0)
        let cookie = DNSEDNSOption(code: 10, data: WireHex.bytes("2df67f5769b3ea4a"))
        #expect(message.edns == DNSEDNS(udpPayloadSize: 1232, options: [cookie]))
        #expect(message.responseCode == .noError)
        #expect(message.serialized() == Self.digQuery)
    }

    @Test func dnspythonQueryParsesIntoEveryField() throws {
        let message = try DNSMessage(parsing: Self.dnspythonQuery)
        let expected = DNSMessage(
            header: DNSHeader(id: 0x7C2C, recursionDesired: true),
            questions: [DNSQuestion(name: .test("hello.summon.test."), type: .a, class: .internet)],
            additionals: [DNSEDNS(udpPayloadSize: 1232).record])
        #expect(message == expected)
        #expect(message.questions.first?.name.text == "hello.summon.test.")
        #expect(
            DNSMessage.parseSectionCounts(Self.dnspythonQuery)
                == DNSSectionCounts(questions: 1, answers: 0, authorities: 0, additionals: 1))
        #expect(message.serialized() == Self.dnspythonQuery)
    }

    @Test func responseSerialisesLikeDnspython() throws {
        let query = try DNSMessage(parsing: Self.dnspythonQuery)
        var response = DNSMessage(
            header: DNSHeader(
                id: query.header.id, isResponse: true, isAuthoritative: true,
                recursionDesired: query.header.recursionDesired),
            questions: query.questions)
        response.answers = [
            DNSResourceRecord(
                name: query.questions[0].name, ttl: 5, data: .a(DNSIPv4Address(10, 77, 0, 10)))
        ]
        response.edns = DNSEDNS(udpPayloadSize: 1232)
        #expect(WireHex.string(response.serialized()) == WireHex.string(Self.dnspythonResponse))
        #expect(try DNSMessage(parsing: Self.dnspythonResponse) == response)
    }

    @Test func nxdomainWithSOASerialisesLikeDnspython() throws {
        let soa = DNSSOA(
            primaryServer: .test("ns1.summon.test"),
            responsibleMailbox: .test("hostmaster.summon.test"),
            serial: 2_024_010_101, refresh: 3600, retry: 600, expire: 86400, minimum: 60)
        var response = DNSMessage(
            header: DNSHeader(
                id: 0x1234, isResponse: true, isAuthoritative: true, recursionDesired: true),
            questions: [DNSQuestion(name: .test("nope.summon.test"), type: .aaaa)],
            authorities: [DNSResourceRecord(name: .test("summon.test"), ttl: 60, data: .soa(soa))])
        response.edns = DNSEDNS(udpPayloadSize: 1232)
        response.responseCode = .nameError
        #expect(WireHex.string(response.serialized()) == WireHex.string(Self.dnspythonNXDomain))
        let parsed = try DNSMessage(parsing: Self.dnspythonNXDomain)
        #expect(parsed == response)
        #expect(parsed.responseCode == .nameError)
    }

    @Test func mixedResponseSerialisesLikeDnspython() throws {
        let ns1 = DNSName.test("ns1.summon.test")
        let address = try #require(
            DNSIPv6Address(bytes: WireHex.bytes("fd00004d000000000000000000000001")))
        let response = DNSMessage(
            header: DNSHeader(
                id: 0xBEEF, isResponse: true, isAuthoritative: true, recursionDesired: true),
            questions: [DNSQuestion(name: .test("www.summon.test"), type: .a)],
            answers: [
                DNSResourceRecord(
                    name: .test("www.summon.test"), ttl: 300,
                    data: .cname(.test("hello.summon.test"))),
                DNSResourceRecord(
                    name: .test("hello.summon.test"), ttl: 5, data: .a(DNSIPv4Address(0x0A4D_000A))),
            ],
            authorities: [DNSResourceRecord(name: .test("summon.test"), ttl: 3600, data: .ns(ns1))],
            additionals: [
                DNSResourceRecord(name: ns1, ttl: 3600, data: .aaaa(address)),
                DNSResourceRecord(
                    name: ns1, ttl: 3600, data: .txt([Array("summoner".utf8), Array("v=1".utf8)])),
            ])
        #expect(WireHex.string(response.serialized()) == WireHex.string(Self.dnspythonMixed))
        #expect(try DNSMessage(parsing: Self.dnspythonMixed) == response)
        #expect(address.description == "fd00:4d::1")
    }
}

import Testing

@testable import DNSFrontend

/// The rules beyond the basic answers: ANY, truncation, classes, meta types, EDNS details and
/// RFC 8906's "answer everything else".
@Suite("Authoritative responder rules")
struct AuthoritativeResponderRulesTests {
    let zone = ZoneAuthority(apex: "summon.test.")!
    static let many = (0..<40).map { DNSIPv4Address(10, 77, 1, UInt8($0)) }
    static let huge = (0..<100).map { DNSIPv4Address(10, 77, 2, UInt8($0)) }
    let provider = StaticZoneProvider(
        addresses: ["hello": [DNSIPv4Address(10, 77, 0, 10)], "many": many, "huge": huge, "www.deep": [DNSIPv4Address(1, 2, 3, 4)]],
        ttl: 5)

    func query(
        _ name: String, _ type: DNSRecordType = .a, class qclass: DNSClass = .internet, payload: UInt16? = nil,
        opcode: DNSOpcode = .query
    ) -> DNSMessage {
        var message = DNSMessage(
            header: DNSHeader(id: 0x4242, opcode: opcode, recursionDesired: true),
            questions: [DNSQuestion(name: DNSName(name)!, type: type, class: qclass)])
        if let payload { message.edns = DNSEDNS(udpPayloadSize: payload) }
        return message
    }

    func respond(_ message: DNSMessage, over transport: DNSTransport = .udp) async throws -> DNSMessage {
        let responder = AuthoritativeResponder(zone: zone, provider: provider)
        let response = try #require(await responder.respond(to: message.serialized()))
        let bytes = response.bytes(for: transport)
        if transport == .udp { #expect(bytes.count <= max(512, min(Int(message.edns?.udpPayloadSize ?? 512), 1232))) }
        return try DNSMessage(parsing: bytes)
    }

    @Test func anyAtTheApexIsTheSOA() async throws {
        let response = try await respond(query("Summon.Test.", .any))
        #expect(response.header.isAuthoritative)
        #expect(response.answers.map(\.type) == [.soa])
        #expect(response.answers.first?.name.text == "Summon.Test.")
    }

    @Test func anyForAServiceIsOneHINFORecordPerRFC8482() async throws {
        let response = try await respond(query("HELLO.summon.test.", .any))
        #expect(response.responseCode == .noError)
        #expect(response.header.isAuthoritative)
        let hinfo = try #require(response.answers.first)
        #expect(response.answers.count == 1)
        #expect(hinfo.type == .hinfo && hinfo.name.text == "HELLO.summon.test.")
        #expect(hinfo.data == .unknown([7] + Array("RFC8482".utf8) + [0]))
    }

    @Test func anyForAMissingNameIsNXDOMAIN() async throws {
        let response = try await respond(query("nope.summon.test.", .any))
        #expect(response.responseCode == .nameError)
        #expect(response.authorities.map(\.type) == [.soa])
    }

    @Test func otherTypesAtTheApexAreNoDataWithTheSOA() async throws {
        for type in [DNSRecordType.a, .aaaa, .txt, DNSRecordType(rawValue: 65280)] {
            let response = try await respond(query("summon.test.", type))
            #expect(response.responseCode == .noError, "\(type)")
            #expect(response.answers.isEmpty && response.authorities.map(\.type) == [.soa], "\(type)")
        }
    }

    @Test func unknownTypesGetNoDataOrNXDOMAINLikeAnyOther() async throws {
        let known = try await respond(query("hello.summon.test.", DNSRecordType(rawValue: 65280)))
        #expect(known.responseCode == .noError && known.answers.isEmpty && known.authorities.map(\.type) == [.soa])
        let missing = try await respond(query("nope.summon.test.", DNSRecordType(rawValue: 999)))
        #expect(missing.responseCode == .nameError)
    }

    @Test func anEmptyNonTerminalIsNoDataNotNXDOMAIN() async throws {
        let response = try await respond(query("deep.summon.test."))
        #expect(response.responseCode == .noError && response.answers.isEmpty)
        #expect(try await respond(query("www.deep.summon.test.")).answers.count == 1)
    }

    @Test func anAnswerTooBigForUDPIsTruncatedWithTCAndCompleteOverTCP() async throws {
        let plain = try await respond(query("many.summon.test."))
        #expect(plain.header.isTruncated && plain.answers.isEmpty, "40 A records do not fit 512 bytes")
        #expect(plain.questions.count == 1 && plain.header.isAuthoritative)
        let edns = try await respond(query("many.summon.test.", payload: 4096))
        #expect(!edns.header.isTruncated && edns.answers.count == 40, "they fit 1232 bytes")
        let huge = try await respond(query("huge.summon.test.", payload: 4096))
        #expect(huge.header.isTruncated && huge.edns?.udpPayloadSize == 1232, "capped at our 1232 bytes")
        let tcp = try await respond(query("huge.summon.test."), over: .tcp)
        #expect(!tcp.header.isTruncated && tcp.answers.count == 100)
    }

    @Test func tinyEDNSPayloadSizesCountAs512() async throws {
        let response = try await respond(query("hello.summon.test.", payload: 100))
        #expect(response.answers.count == 1 && !response.header.isTruncated)
    }

    @Test func classANYIsAnsweredOtherClassesAreRefused() async throws {
        #expect(try await respond(query("hello.summon.test.", class: .any)).answers.count == 1)
        for qclass in [DNSClass.chaos, DNSClass(rawValue: 254), DNSClass(rawValue: 4)] {
            let response = try await respond(query("hello.summon.test.", class: qclass))
            #expect(response.responseCode == .refused, "\(qclass)")
            #expect(!response.header.isAuthoritative && response.answers.isEmpty)
        }
    }

    @Test func metaTypesQTypeOPTIsFORMERRAndZoneTransfersAreRefused() async throws {
        #expect(try await respond(query("summon.test.", .opt)).responseCode == .formatError)
        #expect(try await respond(query("summon.test.", .axfr)).responseCode == .refused)
        #expect(try await respond(query("summon.test.", .ixfr)).responseCode == .refused)
    }

    @Test func badversCarriesOPTVersionZeroAndTheQuestion() async throws {
        var message = query("hello.summon.test.", payload: 4096)
        message.edns?.version = 3
        let response = try await respond(message)
        #expect(response.responseCode == .badVersion)
        #expect(response.edns?.version == 0 && response.edns?.udpPayloadSize == 1232)
        #expect(response.questions == message.questions && response.answers.isEmpty)
    }

    @Test func theDOBitIsEchoedAndUnknownOptionsIgnored() async throws {
        var message = query("hello.summon.test.", payload: 1232)
        message.edns?.dnssecOK = true
        message.edns?.options = [DNSEDNSOption(code: 65001, data: [1, 2, 3])]
        let response = try await respond(message)
        #expect(response.edns?.dnssecOK == true && response.edns?.options == [])
        #expect(response.answers.count == 1)
    }

    @Test func notifyAndUnknownOpcodesAreNOTIMPEvenWhenTheBodyIsGarbage() async throws {
        #expect(try await respond(query("summon.test.", .soa, opcode: .notify)).responseCode == .notImplemented)
        let responder = AuthoritativeResponder(zone: zone, provider: provider)
        // Opcode 9, one question announced, no bytes for it.
        let packet: [UInt8] = [0x55, 0x66, 0x48, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        let response = try #require(await responder.respond(to: packet))
        #expect(response.message.responseCode == .notImplemented && response.message.header.id == 0x5566)
    }

    @Test func aResponseWithGarbageAfterTheHeaderIsStillNeverAnswered() async {
        let responder = AuthoritativeResponder(zone: zone, provider: provider)
        #expect(await responder.respond(to: [0, 1, 0x80, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xC0]) == nil)
    }

    @Test func immediateAnswersNeedNoTaskButSlowNamesDo() {
        var slow = provider
        slow.delayed = ["hello": .milliseconds(1)]
        let responder = AuthoritativeResponder(zone: zone, provider: slow)
        guard case .respond = responder.step(for: query("nope.summon.test.").serialized()) else {
            Issue.record("an unknown name is answered at once")
            return
        }
        guard case .lookup(let pending) = responder.step(for: query("HeLLo.summon.test.").serialized()) else {
            Issue.record("a delayed name must be awaited")
            return
        }
        #expect(pending.labels == ["hello"] && pending.type == .a)
    }
}

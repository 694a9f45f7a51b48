import Foundation
import Testing

@testable import DNSFrontend

/// A provider with fixed answers that counts lookups.
actor ScriptedProvider: ZoneAnswerProvider {
    var lookups: [(labels: [String], type: DNSRecordType)] = []
    let delay: Duration?

    init(delay: Duration? = nil) { self.delay = delay }

    func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        lookups.append((labels, type))
        if let delay { try? await Task.sleep(for: delay) }
        switch (labels, type) {
        case (["hello"], .a): return .addresses([DNSIPv4Address(10, 77, 0, 10)], ttl: 5)
        case (["hello"], _): return .noData
        // An AAAA answer, and the same given for a type it does not fit (must not be sent as is).
        case (["dual"], .aaaa), (["dual"], .txt): return .ipv6Addresses([DNSIPv6Address(high: 0xfd77 << 48, low: 0xa)], ttl: 7)
        case (["broken"], _): return .serverFailure
        default: return .nameError
        }
    }
}

@Suite("Authoritative responder")
struct AuthoritativeResponderTests {
    let zone = ZoneAuthority(apex: "summon.test.")!

    func query(_ name: String, _ type: DNSRecordType = .a, id: UInt16 = 0x1234, edns: Bool = false) -> [UInt8] {
        var message = DNSMessage(
            header: DNSHeader(id: id, recursionDesired: true), questions: [DNSQuestion(name: DNSName(name)!, type: type)])
        if edns { message.edns = DNSEDNS(udpPayloadSize: 4096) }
        return message.serialized()
    }

    func respond(_ packet: [UInt8], provider: ScriptedProvider = ScriptedProvider(), deadline: Duration = .seconds(5))
        async throws -> DNSMessage?
    {
        let responder = AuthoritativeResponder(zone: zone, provider: provider, deadline: deadline)
        guard let bytes = await responder.respond(toUDP: packet) else { return nil }
        return try DNSMessage(parsing: bytes)
    }

    @Test func answersAConfiguredNameAuthoritatively() async throws {
        let response = try #require(try await respond(query("hello.summon.test.")))
        #expect(response.header.id == 0x1234)
        #expect(response.header.isResponse)
        #expect(response.header.isAuthoritative)
        #expect(response.header.recursionDesired)
        #expect(!response.header.recursionAvailable)
        #expect(response.responseCode == .noError)
        #expect(response.answers == [DNSResourceRecord(name: DNSName("hello.summon.test.")!, ttl: 5, data: .a(DNSIPv4Address(10, 77, 0, 10)))])
    }

    @Test func echoesTheQueryCaseAndMatchesCaseInsensitively() async throws {
        let provider = ScriptedProvider()
        let response = try #require(try await respond(query("HeLLo.SUMMON.test."), provider: provider))
        #expect(response.answers.first?.name.text == "HeLLo.SUMMON.test.")
        #expect(response.questions.first?.name.text == "HeLLo.SUMMON.test.")
        #expect(await provider.lookups.first?.labels == ["hello"])
    }

    @Test func unknownNameInTheZoneIsNXDOMAINWithTheSOA() async throws {
        let response = try #require(try await respond(query("nope.summon.test.")))
        #expect(response.responseCode == .nameError)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.authorities.map(\.type) == [.soa])
    }

    @Test func anotherTypeForAnExistingNameIsNoData() async throws {
        let response = try #require(try await respond(query("hello.summon.test.", .aaaa)))
        #expect(response.responseCode == .noError)
        #expect(response.answers.isEmpty)
        #expect(response.authorities.map(\.type) == [.soa])
    }

    @Test func aaaaRecordsAreAnsweredOnlyForAAAAQueries() async throws {
        let response = try #require(try await respond(query("dual.summon.test.", .aaaa)))
        #expect(response.responseCode == .noError && response.header.isAuthoritative)
        #expect(response.answers == [DNSResourceRecord(name: DNSName("dual.summon.test.")!, ttl: 7, data: .aaaa(DNSIPv6Address(high: 0xfd77 << 48, low: 0xa)))])
        let misfit = try #require(try await respond(query("dual.summon.test.", .txt)))
        #expect(misfit.answers.isEmpty)
        #expect(misfit.authorities.map(\.type) == [.soa])
    }

    @Test func theApexAnswersSOAAndNS() async throws {
        let provider = ScriptedProvider()
        let soa = try #require(try await respond(query("summon.test.", .soa), provider: provider))
        #expect(soa.answers.map(\.type) == [.soa])
        let ns = try #require(try await respond(query("summon.test.", .ns), provider: provider))
        #expect(ns.answers.map(\.data) == [.ns(DNSName("ns.summon.test.")!)])
        #expect(await provider.lookups.isEmpty, "the apex never reaches the provider")
    }

    @Test func namesOutsideTheZoneAreRefusedWithoutAskingTheProvider() async throws {
        let provider = ScriptedProvider()
        for name in ["example.com.", "test.", "summon.test.evil.", "xsummon.test."] {
            let response = try #require(try await respond(query(name), provider: provider))
            #expect(response.responseCode == .refused, "\(name)")
            #expect(!response.header.isAuthoritative)
        }
        #expect(await provider.lookups.isEmpty)
    }

    @Test func aFailedSummonIsSERVFAIL() async throws {
        let response = try #require(try await respond(query("broken.summon.test.")))
        #expect(response.responseCode == .serverFailure)
    }

    @Test func aLookupPastTheDeadlineIsSERVFAILNotSilence() async throws {
        let slow = ScriptedProvider(delay: .seconds(30))
        let response = try #require(try await respond(query("hello.summon.test."), provider: slow, deadline: .milliseconds(50)))
        #expect(response.responseCode == .serverFailure)
    }

    @Test func ednsQueriesGetOurOPTAndOthersDoNot() async throws {
        let with = try #require(try await respond(query("hello.summon.test.", edns: true)))
        #expect(with.edns?.udpPayloadSize == 1232)
        let without = try #require(try await respond(query("hello.summon.test.")))
        #expect(without.edns == nil)
    }

    @Test func unknownEDNSVersionIsBADVERS() async throws {
        var message = DNSMessage(header: DNSHeader(id: 7), questions: [DNSQuestion(name: DNSName("hello.summon.test.")!, type: .a)])
        message.edns = DNSEDNS(version: 1)
        let response = try #require(try await respond(message.serialized()))
        #expect(response.responseCode == .badVersion)
    }

    @Test func otherOpcodesAreNOTIMP() async throws {
        var message = DNSMessage(header: DNSHeader(id: 9, opcode: .update), questions: [DNSQuestion(name: DNSName("summon.test.")!, type: .soa)])
        message.header.opcode = .update
        let response = try #require(try await respond(message.serialized()))
        #expect(response.responseCode == .notImplemented)
    }

    @Test func questionCountsOtherThanOneAreFORMERR() async throws {
        let none = DNSMessage(header: DNSHeader(id: 3)).serialized()
        #expect(try await respond(none)?.responseCode == .formatError)
        let two = DNSMessage(
            header: DNSHeader(id: 3),
            questions: [DNSQuestion(name: DNSName("a.summon.test.")!, type: .a), DNSQuestion(name: DNSName("b.summon.test.")!, type: .a)])
        #expect(try await respond(two.serialized())?.responseCode == .formatError)
    }

    @Test func packetsThatMustNotBeAnsweredAreDropped() async throws {
        #expect(try await respond([0x12, 0x34, 0x01]) == nil, "shorter than a header")
        var response = DNSMessage(header: DNSHeader(id: 1, isResponse: true), questions: [DNSQuestion(name: DNSName("hello.summon.test.")!, type: .a)])
        response.header.isResponse = true
        #expect(try await respond(response.serialized()) == nil, "QR=1 is never answered")
    }

    @Test func anUnparsableQueryIsFORMERRWithItsID() async throws {
        // Header claims one question; the name is a pointer to itself.
        let packet: [UInt8] = [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        let response = try #require(try await respond(packet))
        #expect(response.header.id == 0xABCD)
        #expect(response.responseCode == .formatError)
    }
}

@Suite("Responder response observer")
struct ResponderObserverTests {
    final class Codes: @unchecked Sendable {
        private let lock = NSLock()
        private var codes: [DNSResponseCode] = []
        func append(_ code: DNSResponseCode) { lock.withLock { codes.append(code) } }
        var all: [DNSResponseCode] { lock.withLock { codes } }
    }

    @Test func everyResponseIsReportedOnceWithItsCode() async {
        let codes = Codes()
        let responder = AuthoritativeResponder(
            zone: ZoneAuthority(apex: "summon.test.")!, provider: ScriptedProvider(), onResponse: { codes.append($0) })
        func query(_ name: String) -> [UInt8] {
            DNSMessage(header: DNSHeader(id: 1), questions: [DNSQuestion(name: DNSName(name)!, type: .a)]).serialized()
        }
        _ = await responder.respond(toUDP: query("hello.summon.test."))
        _ = await responder.respond(toUDP: query("nope.summon.test."))
        _ = await responder.respond(toUDP: query("example.com."))
        _ = await responder.respond(toUDP: [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1])
        _ = await responder.respond(toUDP: [1, 2, 3])
        #expect(codes.all == [.noError, .nameError, .refused, .formatError])
    }
}

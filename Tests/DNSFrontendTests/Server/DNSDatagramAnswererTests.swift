import NIOConcurrencyHelpers
import Testing

@testable import DNSFrontend

/// The UDP transport's decision per datagram, without sockets.
@Suite("DNS over UDP: one datagram")
struct DNSDatagramAnswererTests {
    typealias F = ServerFixture
    let answerer = DNSDatagramAnswerer(responder: F.responder, forwarder: nil)
    let peer = DNSUDPPeer()

    @Test func answersAtOnce() throws {
        let later = Later()
        let answered = answerer.answer(F.query("hello.summon.test.", id: 77), from: peer, later: later.record)
        let reply = try #require(answered)
        let message = try DNSMessage(parsing: reply)
        #expect(message.header.id == 77 && message.answers.count == 1)
        #expect(later.replies.isEmpty)
    }

    @Test func dropsResponsesAndRuntsButAnswersGarbageWithFORMERR() throws {
        let later = Later()
        let runt = answerer.answer([1, 2, 3], from: peer, later: later.record)
        let response = answerer.answer([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0], from: peer, later: later.record)
        #expect(runt == nil && response == nil)
        let garbage = answerer.answer([0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63], from: peer, later: later.record)
        let reply = try #require(garbage)
        #expect(try DNSMessage(parsing: reply).responseCode == .formatError)
        #expect(later.replies.isEmpty)
    }

    @Test func refusesNamesOutsideTheZoneWithoutAForwarder() throws {
        let answered = answerer.answer(F.query("www.example.test.", id: 5), from: peer, later: { _ in })
        let reply = try #require(answered)
        #expect(try DNSMessage(parsing: reply).responseCode == .refused)
    }

    @Test func aLookupThatWaitsIsAnsweredLater() async throws {
        let later = Later()
        let answered = answerer.answer(F.query("slow.summon.test.", id: 9), from: peer, later: later.record)
        #expect(answered == nil)
        #expect(later.replies.isEmpty, "the provider delays slow by 300 ms")
        for _ in 0..<200 where later.replies.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let reply = try DNSMessage(parsing: try #require(later.replies.first))
        #expect(reply.header.id == 9 && reply.answers.count == 1)
    }
}

/// Collects the replies passed to `later`.
final class Later: Sendable {
    private let box = NIOLockedValueBox<[[UInt8]]>([])
    var replies: [[UInt8]] { box.withLockedValue { $0 } }
    var record: @Sendable ([UInt8]) -> Void { { reply in self.box.withLockedValue { $0.append(reply) } } }
}

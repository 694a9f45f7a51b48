import Logging
import NIOCore
import NIOPosix
import Testing

@testable import DNSFrontend

/// Forwarding on real loopback sockets: an upstream `DNSServer` for `example.test`, and ours for
/// `summon.test` relaying out-of-zone queries for 127.0.0.0/8 only.
@Suite("DNS forwarding")
struct DNSForwardingTests {
    typealias F = ServerFixture

    func withServers(
        timeout: Duration = .seconds(2), upstreamAnswers: Bool = true,
        _ body: (_ front: DNSBoundServer, _ group: any EventLoopGroup) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let upstreamZone = ZoneAuthority(apex: "example.test.")!
        let upstream = try await DNSServer(
            addresses: [DNSListenAddress(host: "127.0.0.1", port: 0)],
            responder: AuthoritativeResponder(
                zone: upstreamZone, provider: StaticZoneProvider(addresses: ["www": [DNSIPv4Address(192, 0, 2, 1)]])),
            group: group, logger: F.logger
        ).bind()
        // A silent upstream: a bound socket nobody reads.
        let silent = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let target = upstreamAnswers ? upstream.udp[0].localAddress : silent.localAddress
        let settings = DNSForwarding(
            upstream: DNSListenAddress(host: "127.0.0.1", port: target!.port!),
            allowed: [DNSClientNetwork("127.0.0.0/8")!], timeout: timeout)
        let forwarder = try await DNSForwarder.start(settings, group: group)
        let front = try await DNSServer(
            addresses: [DNSListenAddress(host: "127.0.0.1", port: 0), DNSListenAddress(host: "::1", port: 0)],
            responder: F.responder, group: group, forwarder: forwarder, logger: F.logger
        ).bind()
        try await body(front, group)
        await front.close()
        await forwarder.close()
        await upstream.close()
        try await silent.close()
        try await group.shutdownGracefully()
    }

    @Test func allowedClientsGetTheUpstreamsAnswerWithTheirOwnID() async throws {
        try await withServers { front, group in
            let v4 = try #require(front.udp[0].localAddress)
            let reply = try DNSMessage(parsing: try await udpAsk(F.query("WWW.example.test.", id: 0xBEEF), at: v4, group: group))
            #expect(reply.header.id == 0xBEEF && reply.responseCode == .noError)
            #expect(reply.answers.first?.data == .a(DNSIPv4Address(192, 0, 2, 1)))
            #expect(reply.questions.first?.name.text == "WWW.example.test.")
            let local = try DNSMessage(parsing: try await udpAsk(F.query("hello.summon.test.", id: 1), at: v4, group: group))
            #expect(local.answers.first?.data == .a(DNSIPv4Address(10, 77, 0, 10)), "the zone is still ours")
        }
    }

    @Test func otherClientsAreRefused() async throws {
        try await withServers { front, group in
            let v6 = try #require(front.udp[1].localAddress)
            let reply = try DNSMessage(parsing: try await udpAsk(F.query("www.example.test.", id: 7), at: v6, group: group))
            #expect(reply.responseCode == .refused && reply.answers.isEmpty)
        }
    }

    @Test func aSilentUpstreamGivesSERVFAILAfterTheTimeout() async throws {
        try await withServers(timeout: .milliseconds(200), upstreamAnswers: false) { front, group in
            let v4 = try #require(front.udp[0].localAddress)
            let reply = try DNSMessage(parsing: try await udpAsk(F.query("www.example.test.", id: 9), at: v4, group: group))
            #expect(reply.header.id == 9 && reply.responseCode == .serverFailure)
        }
    }
}

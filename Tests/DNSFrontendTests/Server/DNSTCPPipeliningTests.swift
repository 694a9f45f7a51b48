import NIOCore
import NIOEmbedded
import Testing

@testable import DNSFrontend

/// Pipelining with answers that must wait for the provider: on NIOAsyncTestingChannel, whose
/// event loop accepts the provider's tasks completing from other threads.
@Suite("DNS over TCP, pipelined")
struct DNSTCPPipeliningTests {
    typealias F = ServerFixture

    func channel(_ settings: DNSTCPSettings = .init()) async throws -> NIOAsyncTestingChannel {
        let channel = try await NIOAsyncTestingChannel { channel in
            try DNSTCPPipeline.configure(
                channel.pipeline.syncOperations, responder: F.responder, settings: settings,
                connections: DNSTCPConnections(limit: 10), logger: F.logger)
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 53))
        return channel
    }

    func nextAnswer(_ channel: NIOAsyncTestingChannel) async throws -> DNSMessage {
        let frame = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        return try #require(try F.unframe(frame).first)
    }

    func inFlight(_ channel: NIOAsyncTestingChannel) async throws -> Int {
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.handler(type: DNSTCPQueryHandler<StaticZoneProvider>.self).inFlight
        }
    }

    @Test func aQuickAnswerOvertakesASlowOneOnTheSameConnection() async throws {
        let channel = try await channel()
        try await channel.writeInbound(
            F.framed([F.query("slow.summon.test.", id: 1), F.query("hello.summon.test.", id: 2)]))
        let first = try await nextAnswer(channel)
        let second = try await nextAnswer(channel)
        #expect([first.header.id, second.header.id] == [2, 1], "answers go out as they are ready")
        #expect(second.answers.first?.data == .a(DNSIPv4Address(10, 77, 0, 11)))
        _ = try await channel.finish(acceptAlreadyClosed: true)
    }

    @Test func theIdleTimerDoesNotCloseAConnectionWithAQueryOutstanding() async throws {
        let channel = try await channel(DNSTCPSettings(idleTimeout: .milliseconds(100)))
        try await channel.writeInbound(F.framed([F.query("slow.summon.test.", id: 5)]))
        await channel.testingEventLoop.advanceTime(by: .milliseconds(150))
        #expect(channel.isActive, "a summon in progress keeps the connection")
        #expect(try await nextAnswer(channel).header.id == 5)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(150))
        #expect(!channel.isActive, "idle once answered")
    }

    @Test func readingStopsAtTheInFlightLimitAndResumesWhenAnAnswerGoesOut() async throws {
        let channel = try await channel(DNSTCPSettings(maxInFlightPerConnection: 1))
        try await channel.writeInbound(F.framed([F.query("slow.summon.test.", id: 1)]))
        #expect(try await inFlight(channel) == 1)
        // A read request now must be held back, and released after the answer.
        channel.read()
        #expect(try await nextAnswer(channel).header.id == 1)
        #expect(try await inFlight(channel) == 0)
        _ = try await channel.finish(acceptAlreadyClosed: true)
    }
}

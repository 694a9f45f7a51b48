import NIOCore
import NIOEmbedded
import Testing

@testable import DNSFrontend

/// RFC 7766 behaviour of the TCP pipeline, on EmbeddedChannel with virtual time.
@Suite("DNS over TCP")
struct DNSTCPTransportTests {
    typealias F = ServerFixture

    @Test func answersSeveralQueriesWrittenAtOnceEachFramedAndMatchedById() throws {
        let channel = try F.tcpChannel()
        let ids: [UInt16] = [1, 2, 3]
        try channel.writeInbound(F.framed(ids.map { F.query("hello.summon.test.", id: $0) }))
        let answers = try F.unframe(F.written(channel))
        #expect(answers.map(\.header.id) == ids)
        #expect(answers.allSatisfy { $0.answers.first?.data == .a(DNSIPv4Address(10, 77, 0, 10)) })
        #expect(channel.isActive, "the connection stays open for more queries")
    }

    @Test func reassemblesFramesSplitAcrossReads() throws {
        let channel = try F.tcpChannel()
        var stream = F.framed([F.query("hello.summon.test.", id: 7), F.query("nope.summon.test.", id: 8)])
        // One byte, then the rest of the first length prefix and half a message, then the rest.
        for cut in [1, 20, stream.readableBytes - 21] {
            try channel.writeInbound(stream.readSlice(length: cut)!)
        }
        let answers = try F.unframe(F.written(channel))
        #expect(answers.map(\.header.id) == [7, 8])
        #expect(answers.map(\.responseCode) == [.noError, .nameError])
    }

    @Test func answersOverTCPAreNeverTruncated() throws {
        let many = (0..<200).map { DNSIPv4Address(10, 0, 0, UInt8($0)) }
        let responder = AuthoritativeResponder(zone: F.zone, provider: StaticZoneProvider(addresses: ["many": many]))
        let channel = EmbeddedChannel()
        try DNSTCPPipeline.configure(
            channel.pipeline.syncOperations, responder: responder, settings: .init(),
            connections: DNSTCPConnections(limit: 1), logger: F.logger)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 53)).wait()
        try channel.writeInbound(F.framed([F.query("many.summon.test.", id: 1)]))
        let answer = try #require(try F.unframe(F.written(channel)).first)
        #expect(!answer.header.isTruncated && answer.answers.count == 200)
    }

    @Test func aFrameOverTheSizeLimitClosesTheConnection() throws {
        let channel = try F.tcpChannel(settings: DNSTCPSettings(maxQuerySize: 512))
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(513))
        try channel.writeInbound(buffer)
        #expect(!channel.isActive, "closed without waiting for the 513 bytes")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test func garbageFramesGetFORMERRAndTooShortOnesAreIgnored() throws {
        let channel = try F.tcpChannel()
        try channel.writeInbound(F.framed([[0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1], [1, 2, 3], []]))
        let answers = try F.unframe(F.written(channel))
        #expect(answers.map(\.responseCode) == [.formatError] && answers.first?.header.id == 0xABCD)
        try channel.writeInbound(F.framed([F.query("hello.summon.test.", id: 9)]))
        #expect(try F.unframe(F.written(channel)).map(\.header.id) == [9], "and the connection still works")
    }

    @Test func anIdleConnectionIsClosedAfterTheTimeoutAndActivityPostponesIt() throws {
        let channel = try F.tcpChannel(settings: DNSTCPSettings(idleTimeout: .seconds(10)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        try channel.writeInbound(F.framed([F.query("hello.summon.test.", id: 1)]))
        _ = try F.written(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(channel.isActive, "the query 6 s ago reset the timer")
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(!channel.isActive)
    }

    @Test func aClientEOFClosesTheConnectionAfterTheAnswersAreWritten() throws {
        let channel = try F.tcpChannel()
        try channel.writeInbound(F.framed([F.query("hello.summon.test.", id: 4)]))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try F.unframe(F.written(channel)).map(\.header.id) == [4])
        #expect(!channel.isActive)
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnceAndFreedSlotsReused() throws {
        let connections = DNSTCPConnections(limit: 2)
        let first = try F.tcpChannel(connections: connections)
        let second = try F.tcpChannel(connections: connections)
        let third = try F.tcpChannel(connections: connections)
        #expect(first.isActive && second.isActive && !third.isActive)
        #expect(connections.count == 2)
        _ = try first.close().wait()
        #expect(connections.count == 1)
        let fourth = try F.tcpChannel(connections: connections)
        #expect(fourth.isActive)
        _ = try? second.finish()
        _ = try? fourth.finish()
    }
}

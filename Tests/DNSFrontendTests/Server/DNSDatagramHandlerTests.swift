import NIOCore
import NIOEmbedded
import Testing

@testable import DNSFrontend

@Suite("DNS over UDP")
struct DNSDatagramHandlerTests {
    typealias F = ServerFixture
    let client = try! SocketAddress(ipAddress: "::1", port: 40000)

    func channel() throws -> EmbeddedChannel {
        try EmbeddedChannel(handler: DNSDatagramHandler(responder: F.responder, logger: F.logger))
    }

    func send(_ bytes: [UInt8], to channel: EmbeddedChannel) throws {
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: ByteBuffer(bytes: bytes)))
    }

    @Test func answersAtOnceToTheSenderOnTheEventLoop() throws {
        let channel = try channel()
        try send(F.query("hello.summon.test.", id: 77), to: channel)
        let reply = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(reply.remoteAddress == client)
        let message = try DNSMessage(parsing: Array(reply.data.readableBytesView))
        #expect(message.header.id == 77 && message.answers.count == 1)
    }

    @Test func dropsResponsesAndRuntsButAnswersGarbageWithFORMERR() throws {
        let channel = try channel()
        try send([1, 2, 3], to: channel)
        try send([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0], to: channel)
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        try send([0xAB, 0xCD, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63], to: channel)
        let reply = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(try DNSMessage(parsing: Array(reply.data.readableBytesView)).responseCode == .formatError)
    }
}

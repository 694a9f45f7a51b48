import Logging
import NIOCore
import NIOEmbedded

@testable import DNSFrontend

/// Queries, frames and channels shared by the transport tests.
enum ServerFixture {
    static let zone = ZoneAuthority(apex: "summon.test.")!
    static let provider = StaticZoneProvider(
        addresses: ["hello": [DNSIPv4Address(10, 77, 0, 10)], "slow": [DNSIPv4Address(10, 77, 0, 11)]],
        ttl: 5, delayed: ["slow": .milliseconds(300)])
    static let responder = AuthoritativeResponder(zone: zone, provider: provider)
    static let logger = Logger(label: "test")

    /// The real server for the fixture's zone, bound on `group` (port 0: the kernel picks one).
    static func bind(
        _ addresses: [DNSListenAddress] = [DNSListenAddress(host: "127.0.0.1", port: 0)], group: any EventLoopGroup,
        udpSocketsPerAddress: Int = 1
    ) async throws -> DNSBoundServer {
        try await DNSServer(
            addresses: addresses, responder: responder, group: group, udpSocketsPerAddress: udpSocketsPerAddress,
            logger: logger
        ).bind()
    }

    static func query(_ name: String, id: UInt16, type: DNSRecordType = .a) -> [UInt8] {
        DNSMessage(header: DNSHeader(id: id), questions: [DNSQuestion(name: DNSName(name)!, type: type)]).serialized()
    }

    static func framed(_ messages: [[UInt8]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for message in messages {
            buffer.writeInteger(UInt16(message.count))
            buffer.writeBytes(message)
        }
        return buffer
    }

    /// Splits a stream of framed responses into parsed messages; fails on a partial frame.
    static func unframe(_ buffer: ByteBuffer) throws -> [DNSMessage] {
        var buffer = buffer
        var messages: [DNSMessage] = []
        while let length = buffer.readInteger(as: UInt16.self) {
            guard let bytes = buffer.readBytes(length: Int(length)) else { throw FramingError.partialFrame }
            messages.append(try DNSMessage(parsing: bytes))
        }
        guard buffer.readableBytes == 0 else { throw FramingError.partialFrame }
        return messages
    }

    enum FramingError: Error { case partialFrame }

    /// A connected channel with the server's TCP pipeline.
    static func tcpChannel(
        settings: DNSTCPSettings = .init(), connections: DNSTCPConnections = DNSTCPConnections(limit: 10)
    ) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try DNSTCPPipeline.configure(
            channel.pipeline.syncOperations, responder: responder, settings: settings, connections: connections,
            logger: logger)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 53)).wait()
        return channel
    }

    /// Everything written to `channel` so far, concatenated.
    static func written(_ channel: EmbeddedChannel) throws -> ByteBuffer {
        var all = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { all.writeBuffer(&part) }
        return all
    }
}

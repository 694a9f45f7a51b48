import Logging
import NIOCore
import NIOPosix
import Testing

@testable import DNSFrontend

/// The real server on loopback sockets: every address gets UDP and TCP, IPv4 and IPv6, and
/// several UDP sockets share one port with SO_REUSEPORT.
@Suite("DNS server binding")
struct DNSServerBindTests {
    typealias F = ServerFixture

    @Test func bindsUDPAndTCPOnIPv4AndIPv6WithSeveralUDPSocketsSharingAPort() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let bound = try await F.bind(
            [DNSListenAddress(host: "127.0.0.1", port: 0), DNSListenAddress(host: "::1", port: 0)], group: group,
            udpSocketsPerAddress: 2)
        #expect(bound.udp.count == 4 && bound.tcp.count == 2)
        let ports = bound.udp.map { $0.localAddress?.port }
        #expect(ports[0] == ports[1] && ports[2] == ports[3] && ports[0] != nil)
        for channel in [bound.udp[0], bound.udp[2]] {
            let address = try #require(channel.localAddress)
            let reply = try DNSMessage(parsing: try await udpAsk(F.query("hello.summon.test.", id: 42), at: address, group: group))
            #expect(reply.header.id == 42 && reply.answers.count == 1, "\(address)")
        }
        await bound.close()
        try await group.shutdownGracefully()
    }
}


import Foundation
import Glibc
import NIOCore
import NIOPosix
import Testing

@testable import DNSFrontend

/// The UDP transport on a real loopback socket: batches, late replies, and stopping.
@Suite("DNS over UDP: the socket thread")
struct DNSUDPWorkerTests {
    typealias F = ServerFixture

    @Test func answersABurstAndALateReplyWithoutHoldingTheOthers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bound = try await F.bind(group: group)
        let port = try #require(bound.udp[0].localAddress?.port)
        let client = try BlockingUDPClient(port: port)
        defer { client.close() }

        // The slow name first: the 200 after it must not wait for it. The client blocks in
        // recv, so it runs on a thread of its own, never on the pool the slow lookup's task needs.
        let replies = await onThread {
            client.send(F.query("slow.summon.test.", id: 1))
            for id in 2...201 { client.send(F.query("hello.summon.test.", id: UInt16(id))) }
            var replies: [[UInt8]] = []
            while replies.count < 201, let reply = client.receive() { replies.append(reply) }
            return replies
        }
        var order: [UInt16] = []
        for reply in replies {
            let message = try DNSMessage(parsing: reply)
            #expect(message.answers.count == 1)
            order.append(message.header.id)
        }
        #expect(order.count == 201 && Set(order) == Set(1...201), "every query answered once")
        #expect(order.last == 1, "the lookup that waited came last")

        await bound.close()
        let afterClose = await onThread {
            client.send(F.query("hello.summon.test.", id: 300))
            return client.receive()
        }
        #expect(afterClose == nil, "nothing answers after close")
        try await group.shutdownGracefully()
    }

    @Test func aPortInUseIsABindError() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let first = try await F.bind(group: group)
        let port = try #require(first.udp[0].localAddress?.port)
        await #expect(throws: IOError.self) {
            _ = try await F.bind([DNSListenAddress(host: "127.0.0.1", port: port)], group: group)
        }
        await first.close()
        try await group.shutdownGracefully()
    }
}

/// Runs blocking work on a new thread, off Swift's cooperative pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A plain blocking UDP socket on 127.0.0.1 with a 2 s receive timeout.
struct BlockingUDPClient: Sendable {
    let fd: Int32
    var server = sockaddr_in()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        server.sin_family = sa_family_t(AF_INET)
        server.sin_port = UInt16(port).bigEndian
        server.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    }

    func send(_ bytes: [UInt8]) {
        var server = self.server
        _ = bytes.withUnsafeBytes { payload in
            withUnsafePointer(to: &server) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, payload.baseAddress, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram, or nil after the timeout.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count < 0 ? nil : Array(buffer[0..<count])
    }

    func close() { _ = Glibc.close(fd) }
}

import Testing

@testable import GuestStack

/// An echo server over TCP, as the guest would run it: reads, writes back what fits, closes
/// once the peer has closed and everything went out.
struct TCPEchoApplication {
    var connection: TCPConnectionID?
    var pending: [UInt8] = []
    var closed = false

    mutating func serve(_ stack: inout NetworkStack<QueueDevice>) {
        if connection == nil { connection = stack.tcp.accept(on: 80) }
        guard let id = connection, !closed else { return }
        pending += stack.tcp.read(id)
        let written = stack.tcp.write(id, pending[...])
        pending.removeFirst(written)
        if pending.isEmpty, stack.tcp.status(id).peerClosed {
            stack.tcp.close(id)
            closed = true
        }
    }
}

@Suite("TCP over a simulated lossy link")
struct TCPLossyLinkTests {
    /// Moves `size` bytes from a host-side client through the guest's echo and back.
    func transfer(
        size: Int, link: LossyLink.Settings, seed: UInt64, clientMSS: Int, overIPv6: Bool = false
    ) -> (ok: Bool, seconds: UInt64, sent: Int) {
        var harness = StackHarness()
        harness.stack.tcp.listen(on: 80)
        var toGuest = LossyLink(link, seed: seed)
        var toHost = LossyLink(link, seed: seed &+ 1)
        var random = DeterministicRandom(seed: seed &+ 2)
        let payload = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var client =
            overIPv6
            ? TestTCPClient(
                local: IPEndpoint(address: .v6(hostIP6), port: 40000), remote: IPEndpoint(address: .v6(guestIP6), port: 80),
                mss: clientMSS, payload: payload)
            : TestTCPClient(remote: IPEndpoint(address: .v4(guestIP), port: 80), mss: clientMSS, payload: payload)
        var application = TCPEchoApplication()
        var framesFromGuest = 0
        client.start(now: harness.now)
        let start = harness.now
        while !client.isDone && !client.resetReceived && harness.now < start + 600_000_000 {
            for frame in client.outgoing { toGuest.send(frame, now: harness.now) }
            client.outgoing.removeAll()
            harness.stack.device.incoming += toGuest.deliver(now: harness.now)
            harness.stack.poll(now: harness.now)
            application.serve(&harness.stack)
            harness.stack.flush(now: harness.now)
            framesFromGuest += harness.stack.device.sent.count
            for frame in harness.stack.device.sent { toHost.send(frame, now: harness.now) }
            harness.stack.device.sent.removeAll()
            for frame in toHost.deliver(now: harness.now) { client.handle(frame, now: harness.now) }
            client.tick(now: harness.now)
            harness.now += 250
        }
        let ok = client.isDone && client.received == payload
        return (ok, (harness.now - start) / 1_000_000, framesFromGuest)
    }

    @Test func oneMebibyteOnACleanLink() {
        let result = transfer(size: 1 << 20, link: .init(), seed: 1, clientMSS: 1460)
        #expect(result.ok)
    }

    @Test(arguments: [UInt64(11), 22, 33])
    func oneMebibyteThroughLossReorderingDuplicationAndTruncation(seed: UInt64) {
        let link = LossyLink.Settings(
            lossPercent: 3, duplicatePercent: 3, truncatePercent: 2, baseDelay: 1_000, jitter: 3_000, mtu: 576)
        let result = transfer(size: 1 << 20, link: link, seed: seed, clientMSS: 536)
        #expect(result.ok, "seed \(seed): not intact after \(result.seconds) s of virtual time")
    }

    /// The same over IPv6: the guest's segments are 20 bytes shorter (its MSS allows for the
    /// larger header), so a 576-byte MTU still carries them.
    @Test(arguments: [UInt64(44), 55])
    func oneMebibyteOverIPv6ThroughLossAndASmallMTU(seed: UInt64) {
        let link = LossyLink.Settings(
            lossPercent: 3, duplicatePercent: 3, truncatePercent: 2, baseDelay: 1_000, jitter: 3_000, mtu: 576)
        let result = transfer(size: 1 << 20, link: link, seed: seed, clientMSS: 516, overIPv6: true)
        #expect(result.ok, "seed \(seed): not intact after \(result.seconds) s of virtual time")
    }
}

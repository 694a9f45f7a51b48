import Testing

@testable import GuestStack

/// Random and damaged frames of every kind the stack parses, on the host where a trap shows up
/// as a failed test with a seed (the lab test sends the same kind at a real guest).
@Suite("Network stack: hostile frames")
struct HostileFramesTests {
    /// One frame: random bytes, or a valid header of some layer with damage behind it.
    static func hostileFrame(_ random: inout DeterministicRandom) -> [UInt8] {
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
        func upTo(_ limit: Int) -> Int { Int(random.next() % UInt64(limit + 1)) }
        switch random.next() % 6 {
        case 0:
            return bytes(upTo(1514))
        case 1:  // IPv4 with a random protocol and payload
            let protocolNumber = [UInt8(1), 6, 17, UInt8(truncatingIfNeeded: random.next())][upTo(3)]
            return HostFrames.ipv4(protocolNumber: protocolNumber, payload: bytes(upTo(300)))
        case 2:  // IPv6 with a random next header, sometimes to a solicited-node group
            let nextHeader = [UInt8(0), 6, 17, 44, 58, UInt8(truncatingIfNeeded: random.next())][upTo(5)]
            let toGroup = random.chance(30)
            var frame = HostFrames.ipv6(
                to: toGroup ? guestIP6.solicitedNode : guestIP6, nextHeader: nextHeader, payload: bytes(upTo(300)),
                hopLimit: random.chance(70) ? 255 : 64,
                destinationMAC: toGroup ? guestIP6.solicitedNode.multicastMAC : guestMAC)
            if random.chance(20) { frame.setUInt16(UInt16(truncatingIfNeeded: random.next()), at: 14 + 4) }  // payload length
            return frame
        case 3, 4:  // neighbor discovery with a valid checksum and random flags, targets and options
            var body = bytes(4)
            if random.chance(70) { guestIP6.append(to: &body) } else { body += bytes(16) }
            for _ in 0..<upTo(3) {
                let length = [0, 1, 1, 2, 255][upTo(4)]
                body += [[1, 2, UInt8(truncatingIfNeeded: random.next())][upTo(2)], UInt8(length)] + bytes(max(0, 8 * length - 2))
            }
            body = Array(body.prefix(upTo(body.count)))
            let source = random.chance(20) ? IPv6Address.unspecified : hostIP6
            let type = [ICMPv6Message.MessageType.neighborSolicitation, ICMPv6Message.MessageType.neighborAdvertisement][upTo(1)]
            let message = ICMPv6Message.make(type: type, body: body[...], source: source, destination: guestIP6)
            return HostFrames.ipv6(from: source, nextHeader: IPv6Packet.NextHeader.icmpv6, payload: message, hopLimit: 255)
        default:  // TCP over either family with random flags, sequence numbers and header length
            var segment = TCPSegment.make(
                source: IPEndpoint(address: .v6(hostIP6), port: UInt16(truncatingIfNeeded: random.next())),
                destination: IPEndpoint(address: .v6(guestIP6), port: 80),
                sequenceNumber: SequenceNumber(UInt32(truncatingIfNeeded: random.next())),
                acknowledgmentNumber: SequenceNumber(UInt32(truncatingIfNeeded: random.next())),
                flags: TCPSegment.Flags(rawValue: UInt8(truncatingIfNeeded: random.next()) & 0x3f),
                window: UInt16(truncatingIfNeeded: random.next()), payload: bytes(upTo(100))[...])
            if random.chance(30) { segment[12] = UInt8(truncatingIfNeeded: random.next()) }  // header length: checksum fails
            return HostFrames.ipv6(nextHeader: IPv6Packet.NextHeader.tcp, payload: segment)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func theStackSurvivesAndStillServes(seed: UInt64) {
        var harness = StackHarness()
        harness.stack.tcp.listen(on: 80)
        harness.stack.udp.bind(7)
        var random = DeterministicRandom(seed: seed)
        for _ in 0..<200 {
            _ = harness.exchange((0..<50).map { _ in Self.hostileFrame(&random) })
            harness.now += 10_000
        }
        // The generator reached the parsers behind the checksums, not only the first checks.
        #expect(harness.stack.statistics.neighborAdvertisementsSent > 0)
        #expect(harness.stack.statistics.framesIgnored > 0)
        #expect(harness.stack.tcp.connectionCount > 0)
        // Nothing a peer said may grow the tables past their bounds.
        #expect(harness.stack.neighborCache.entries.count <= harness.stack.neighborCache.capacity)
        #expect(harness.stack.neighborResolver.waiting.count <= NDPResolver.maximumAddresses)
        #expect(harness.stack.tcp.connectionCount <= harness.stack.tcp.limits.maximumConnections)

        let sent = harness.exchange([
            HostFrames.echoRequest(identifier: 1, sequence: 1, data: [1]),
            HostFrames.echoRequest6(identifier: 1, sequence: 2, data: [2]),
            HostFrames.neighborSolicitation(target: guestIP6),
        ])
        #expect(sent.compactMap { $0.ipv4 }.count == 1, "no IPv4 echo reply")
        #expect(sent.compactMap { $0.icmpv6?.type }.sorted() == [129, 136], "no ICMPv6 echo reply or advertisement")
    }
}

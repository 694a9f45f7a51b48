import Testing

@testable import GuestStack

@Suite("Network stack: IPv6, neighbor discovery, ICMPv6 echo, UDP and TCP over IPv6")
struct IPv6StackTests {
    var guestLinkLocal: IPv6Address { IPv6Address.linkLocal(for: guestMAC) }

    @Test func announcesBothAddressesWithUnsolicitedAdvertisements() {
        var harness = StackHarness()
        harness.stack.announceIPv6(now: harness.now)
        let advertisements = harness.exchange([]).filter { $0.neighborDiscovery != nil }
        #expect(advertisements.map { $0.neighborDiscovery?.target } == [guestLinkLocal, guestIP6])
        for frame in advertisements {
            #expect(frame.ethernet.destination == MACAddress(0x3333_0000_0001))
            #expect(frame.ipv6?.destination == .allNodes && frame.ipv6?.hopLimit == 255)
            #expect(frame.neighborDiscovery?.flags == [.override])
            #expect(frame.neighborDiscovery?.linkLayerAddress == guestMAC)
        }
    }

    @Test(arguments: [true, false])
    func answersSolicitationsForItsAddressesAndLearnsTheSender(linkLocal: Bool) {
        var harness = StackHarness()
        let target = linkLocal ? guestLinkLocal : guestIP6
        let asker = IPv6Address("fd88::77")!
        let sent = harness.exchange([HostFrames.neighborSolicitation(target: target, from: asker)])
        #expect(sent.count == 1)
        let advertisement = sent[0].neighborDiscovery
        #expect(advertisement?.isSolicitation == false)
        #expect(advertisement?.target == target)
        #expect(advertisement?.flags == [.solicited, .override])
        #expect(advertisement?.linkLayerAddress == guestMAC)
        #expect(sent[0].ipv6?.source == target && sent[0].ipv6?.destination == asker)
        #expect(sent[0].ethernet.destination == hostMAC)
        #expect(harness.stack.neighborCache.lookup(asker, now: harness.now) == hostMAC)
        #expect(harness.stack.statistics.neighborAdvertisementsSent == 1)
    }

    @Test func ignoresSolicitationsForOthersAndOffLinkOnes() {
        var harness = StackHarness()
        let sent = harness.exchange([
            HostFrames.neighborSolicitation(target: IPv6Address("fd88::99")!),
            HostFrames.neighborSolicitation(target: guestIP6, hopLimit: 64),  // routed: not from the link
        ])
        #expect(sent.isEmpty)
    }

    @Test func answersADuplicateAddressProbeToAllNodes() {
        var harness = StackHarness()
        // RFC 4862: a probe comes from :: and carries no link-layer address option.
        var body: [UInt8] = [0, 0, 0, 0]
        guestIP6.append(to: &body)
        let group = guestIP6.solicitedNode
        let probe = ICMPv6Message.make(type: 135, body: body[...], source: .unspecified, destination: group)
        let sent = harness.exchange([
            HostFrames.ipv6(
                from: .unspecified, to: group, nextHeader: 58, payload: probe, hopLimit: 255,
                destinationMAC: group.multicastMAC)
        ])
        #expect(sent.count == 1)
        #expect(sent[0].ipv6?.destination == .allNodes)
        #expect(sent[0].neighborDiscovery?.flags == [.override])
    }

    @Test(arguments: [true, false])
    func answersPingOnEitherAddressFromThatAddress(linkLocal: Bool) {
        var harness = StackHarness()
        let target = linkLocal ? guestLinkLocal : guestIP6
        let sent = harness.exchange([HostFrames.echoRequest6(to: target, identifier: 0x4242, sequence: 3, data: Array(0..<56))])
        #expect(sent.count == 1)
        let reply = sent[0].icmpv6
        #expect(reply?.type == ICMPv6Message.MessageType.echoReply)
        #expect(reply.map { Array($0.body) } == [0x42, 0x42, 0, 3] + Array(0..<56))
        #expect(sent[0].ipv6?.source == target && sent[0].ipv6?.destination == hostIP6)
        #expect(harness.stack.statistics.echoRepliesSent == 1)
    }

    @Test func ignoresPingToOthersAndCorruptMessages() {
        var harness = StackHarness()
        var corrupt = HostFrames.echoRequest6(identifier: 1, sequence: 1, data: [1, 2, 3])
        corrupt[corrupt.count - 1] ^= 0xff
        let sent = harness.exchange([
            HostFrames.echoRequest6(to: IPv6Address("fd88::99")!, identifier: 1, sequence: 1, data: []),
            HostFrames.echoRequest6(to: IPv6Address("ff02::2")!, identifier: 1, sequence: 1, data: []),
            corrupt,
        ])
        #expect(sent.isEmpty)
        #expect(harness.stack.statistics.framesIgnored == 3)
    }

    @Test func udpOverIPv6IsDeliveredAndAnswered() {
        var harness = StackHarness()
        harness.stack.udp.bind(7)
        var zeroChecksum = HostFrames.udp6(fromPort: 5000, toPort: 7, payload: [9])
        zeroChecksum[14 + 40 + 6] = 0
        zeroChecksum[14 + 40 + 7] = 0
        _ = harness.exchange([HostFrames.udp6(fromPort: 5000, toPort: 7, payload: [1, 2, 3]), zeroChecksum])
        let datagram = harness.stack.udp.receive(on: 7)
        #expect(datagram?.source == IPEndpoint(address: .v6(hostIP6), port: 5000))
        #expect(datagram?.payload == [1, 2, 3])
        #expect(harness.stack.udp.receive(on: 7) == nil)  // IPv6 requires the checksum

        let sent = harness.exchange([]) { stack in
            stack.sendUDP(from: 7, to: datagram!.source, payload: [4, 5][...], now: 0)
        }
        #expect(sent.count == 1)
        #expect(sent[0].ipv6?.source == guestIP6)
        #expect(sent[0].udp6.map { Array($0.payload) } == [4, 5])
        #expect(sent[0].udp6?.destinationPort == 5000)
    }

    @Test func resolvesANeighborBeforeSendingAndOnlyLearnsWhatItAsked() {
        var harness = StackHarness()
        let peer = IPv6Address("fd88::20")!
        let peerMAC = MACAddress(0x0200_0000_0020)
        let stranger = IPv6Address("fd88::21")!
        let solicitation = harness.exchange([]) { stack in
            stack.sendUDP(from: 7, to: IPEndpoint(address: .v6(peer), port: 9), payload: [1][...], now: 0)
        }
        #expect(solicitation.count == 1)
        #expect(solicitation[0].neighborDiscovery?.isSolicitation == true)
        #expect(solicitation[0].neighborDiscovery?.target == peer)
        #expect(solicitation[0].neighborDiscovery?.linkLayerAddress == guestMAC)
        #expect(solicitation[0].ipv6?.destination == peer.solicitedNode)
        #expect(solicitation[0].ethernet.destination == peer.solicitedNode.multicastMAC)

        let sent = harness.exchange([
            HostFrames.neighborAdvertisement(target: stranger, mac: MACAddress(0x0200_0000_0021)),
            HostFrames.neighborAdvertisement(target: peer, mac: peerMAC),
        ])
        #expect(sent.count == 1)
        #expect(sent[0].ethernet.destination == peerMAC)
        #expect(sent[0].udp6?.destinationPort == 9)
        #expect(harness.stack.neighborCache.lookup(stranger, now: harness.now) == nil)
    }

    @Test func offPrefixTrafficNeedsARouter() {
        var harness = StackHarness()
        let faraway = IPEndpoint(address: .v6(IPv6Address("2001:db8::1")!), port: 9)
        let unrouted = harness.stack.sendUDP(from: 7, to: faraway, payload: [1][...], now: harness.now)
        #expect(!unrouted)

        let router = IPv6Address("fe80::1")!
        var routed = NetworkStack(
            device: QueueDevice(), interface: IPv4Interface(address: guestIP, prefixLength: 24),
            interface6: IPv6Interface(address: guestIP6, prefixLength: 64), gateway6: router)
        let queued = routed.sendUDP(from: 7, to: faraway, payload: [1][...], now: 0)
        #expect(queued)
        let solicitation = SentFrame(routed.device.sent[0])
        #expect(solicitation.neighborDiscovery?.target == router)
        #expect(solicitation.ipv6?.source == IPv6Address.linkLocal(for: guestMAC))  // link-local asks link-local
    }

    @Test func withoutAnIPv6AddressOnlyTheLinkLocalOneAnswers() {
        var stack = NetworkStack(device: QueueDevice(), interface: IPv4Interface(address: guestIP, prefixLength: 24))
        let hostLinkLocal = IPv6Address("fe80::1")!
        stack.device.incoming = [
            HostFrames.echoRequest6(from: hostLinkLocal, to: guestIP6, identifier: 1, sequence: 1, data: []),
            HostFrames.echoRequest6(from: hostLinkLocal, to: IPv6Address.linkLocal(for: guestMAC), identifier: 1, sequence: 2, data: []),
        ]
        stack.neighborCache.insert(hostLinkLocal, hostMAC, now: 0)
        stack.poll(now: 0)
        let sent = stack.device.sent.map(SentFrame.init)
        #expect(sent.count == 1)
        #expect(sent.first?.ipv6?.source == IPv6Address.linkLocal(for: guestMAC))
        #expect(sent.first?.ipv6?.destination == hostLinkLocal)
        let sentWithoutAddress = stack.sendUDP(from: 7, to: IPEndpoint(address: .v6(hostIP6), port: 9), payload: [][...], now: 0)
        #expect(!sentWithoutAddress)
    }

    @Test func dropsFragmentsAndOtherExtensionHeaders() {
        var harness = StackHarness()
        harness.stack.udp.bind(7)
        let sent = harness.exchange([
            HostFrames.ipv6(nextHeader: IPv6Packet.NextHeader.fragment, payload: [17, 0, 0, 1, 0, 0, 0, 1] + [0, 0, 0, 0]),
            HostFrames.ipv6(nextHeader: IPv6Packet.NextHeader.hopByHop, payload: [58, 0, 5, 2, 0, 0, 1, 0]),
            HostFrames.ipv6(to: IPv6Address("ff02::2")!, nextHeader: 17, payload: [], destinationMAC: MACAddress(0x3333_0000_0002)),
            Array(HostFrames.echoRequest6(identifier: 1, sequence: 1, data: []).prefix(14 + 39)),  // shorter than a header
        ])
        #expect(sent.isEmpty)
        #expect(harness.stack.statistics.fragmentsDropped == 1)
        #expect(harness.stack.statistics.framesIgnored == 3)
    }

    @Test func tcpHandshakeOverIPv6AnnouncesTheSmallerSegmentSize() {
        var harness = StackHarness()
        harness.stack.tcp.listen(on: 80)
        let syn = TCPSegment.make(
            source: IPEndpoint(address: .v6(hostIP6), port: 40000), destination: IPEndpoint(address: .v6(guestIP6), port: 80),
            sequenceNumber: SequenceNumber(5000), acknowledgmentNumber: SequenceNumber(0), flags: .syn, window: 65535,
            maximumSegmentSize: 1440)
        let sent = harness.exchange([HostFrames.ipv6(nextHeader: IPv6Packet.NextHeader.tcp, payload: syn)])
        #expect(sent.count == 1)
        let synAck = sent[0].tcp6
        #expect(synAck?.flags == [.syn, .ack])
        #expect(synAck?.acknowledgmentNumber == SequenceNumber(5001))
        #expect(synAck?.maximumSegmentSize == 1440)  // 1500 - 40 - 20
        #expect(sent[0].ipv6?.source == guestIP6 && sent[0].ipv6?.destination == hostIP6)

        // The same port over IPv4 from the same host and port is another connection.
        let sentV4 = harness.exchange([HostFrames.tcp(sequence: 100, flags: .syn, mss: 1460)])
        #expect(sentV4.first?.tcp?.maximumSegmentSize == 1460)
        #expect(harness.stack.tcp.connectionCount == 2)
    }

    @Test func closedPortOverIPv6AnswersWithAReset() {
        var harness = StackHarness()
        let syn = TCPSegment.make(
            source: IPEndpoint(address: .v6(hostIP6), port: 40000), destination: IPEndpoint(address: .v6(guestIP6), port: 81),
            sequenceNumber: SequenceNumber(100), acknowledgmentNumber: SequenceNumber(0), flags: .syn, window: 65535)
        let sent = harness.exchange([HostFrames.ipv6(nextHeader: IPv6Packet.NextHeader.tcp, payload: syn)])
        #expect(sent.first?.tcp6?.flags == [.rst, .ack])
        #expect(sent.first?.ipv6?.source == guestIP6)
    }
}

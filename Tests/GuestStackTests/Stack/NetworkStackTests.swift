import Testing

@testable import GuestStack

@Suite("Network stack: ARP, IPv4, ICMP and UDP")
struct NetworkStackTests {
    @Test func gratuitousARPAnnouncesTheGuestsOwnAddress() {
        var harness = StackHarness()
        harness.stack.announce()
        let sent = harness.exchange([])
        #expect(sent.count == 1)
        let arp = sent[0].arp!
        #expect(sent[0].ethernet.destination == .broadcast)
        #expect(arp.senderProtocol == guestIP && arp.targetProtocol == guestIP)
    }

    @Test func answersARPRequestsForItsAddressOnly() {
        var harness = StackHarness()
        let sent = harness.exchange([
            HostFrames.arp(operation: ARPPacket.Operation.request),
            HostFrames.arp(operation: ARPPacket.Operation.request, target: IPv4Address(10, 88, 0, 99)),
        ])
        #expect(sent.count == 1)
        #expect(sent[0].arp?.operation == ARPPacket.Operation.reply)
        #expect(sent[0].arp?.targetHardware == hostMAC)
        #expect(sent[0].ethernet.destination == hostMAC)
    }

    @Test func answersPingWithTheSameData() {
        var harness = StackHarness()
        let sent = harness.exchange([HostFrames.echoRequest(identifier: 0x4242, sequence: 3, data: Array(0..<56))])
        #expect(sent.count == 1)
        let reply = ICMPMessage(sent[0].ipv4!.payload)!
        #expect(reply.type == ICMPMessage.MessageType.echoReply)
        #expect(Array(reply.bytes.dropFirst(4)) == [0x42, 0x42, 0, 3] + Array(0..<56))
        #expect(sent[0].ipv4?.destination == hostIP)
    }

    @Test func deliversUDPToBoundPortsAndDropsTheRest() {
        var harness = StackHarness()
        harness.stack.udp.bind(7)
        _ = harness.exchange([
            HostFrames.udp(fromPort: 5000, toPort: 7, payload: [1, 2, 3]),
            HostFrames.udp(fromPort: 5000, toPort: 8, payload: [4]),
        ])
        let datagram = harness.stack.udp.receive(on: 7)
        #expect(datagram == ReceivedDatagram(source: IPEndpoint(address: .v4(hostIP), port: 5000), destinationPort: 7, payload: [1, 2, 3]))
        #expect(harness.stack.udp.receive(on: 7) == nil)
        #expect(harness.stack.statistics.framesIgnored == 1)
    }

    @Test func udpQueuesAreBounded() {
        var harness = StackHarness()
        harness.stack.udp.bind(7)
        let flood = (0..<200).map { _ in HostFrames.udp(fromPort: 1, toPort: 7, payload: [0]) }
        _ = harness.exchange(flood)
        var count = 0
        while harness.stack.udp.receive(on: 7) != nil { count += 1 }
        #expect(count == UDPSockets.queueLimit)
    }

    @Test func dropsFragmentsAndFramesForOthers() {
        var harness = StackHarness()
        var fragment = HostFrames.echoRequest(identifier: 1, sequence: 1, data: [])
        fragment[14 + 6] = 0x20  // more fragments
        fragment[14 + 10] = 0
        fragment[14 + 11] = 0
        fragment.setUInt16(InternetChecksum.of(fragment[14..<34]), at: 14 + 10)
        let otherMAC = HostFrames.echoRequest(identifier: 1, sequence: 1, data: [])
        var misaddressed = otherMAC
        MACAddress(0x0200_0000_0099).write(to: &misaddressed, at: 0)
        let sent = harness.exchange([fragment, misaddressed, [1, 2, 3], []])
        #expect(sent.isEmpty)
        #expect(harness.stack.statistics.fragmentsDropped == 1)
    }

    @Test func holdsPacketsUntilARPResolvesThenGivesUp() {
        var harness = StackHarness()
        let peer = IPv4Address(10, 88, 0, 20)
        harness.stack.sendUDP(from: 7, to: IPEndpoint(address: .v4(peer), port: 9), payload: [1][...], now: harness.now)
        var sent = harness.exchange([])
        #expect(sent.count == 1 && sent[0].arp?.targetProtocol == peer)
        #expect(harness.stack.nextDeadline == harness.now + 25_000)
        // The reply releases the held datagram, addressed to the peer's MAC.
        let peerMAC = MACAddress(0x0200_0000_0020)
        let reply = ARPPacket.frame(
            operation: ARPPacket.Operation.reply, senderHardware: peerMAC, senderProtocol: peer, targetHardware: guestMAC,
            targetProtocol: guestIP, destination: guestMAC)
        sent = harness.exchange([reply])
        #expect(sent.count == 1 && sent[0].ethernet.destination == peerMAC && sent[0].udp?.destinationPort == 9)
        // An unanswered address is asked again after 25, 50, 100 ... ms (at most 1 s apart),
        // eight times in all, then the frames are dropped.
        let silent = IPv4Address(10, 88, 0, 21)
        let start = harness.now
        harness.stack.sendUDP(from: 7, to: IPEndpoint(address: .v4(silent), port: 9), payload: [1][...], now: harness.now)
        var requestTimes: [UInt64] = harness.exchange([]).isEmpty ? [] : [0]
        while let next = harness.stack.nextDeadline {
            harness.now = next
            if !harness.exchange([]).isEmpty { requestTimes.append((harness.now - start) / 1000) }
        }
        #expect(requestTimes == [0, 25, 75, 175, 375, 775, 1575, 2575])
    }

    @Test func sendsOffSubnetTrafficThroughTheGateway() {
        var harness = StackHarness()
        harness.stack.sendUDP(from: 7, to: IPEndpoint(address: .v4(IPv4Address(192, 0, 2, 1)), port: 9), payload: [][...], now: harness.now)
        let sent = harness.exchange([])
        #expect(sent.count == 1 && sent[0].ethernet.destination == hostMAC)
        #expect(sent[0].ipv4?.destination == IPv4Address(192, 0, 2, 1))
    }

    @Test func readinessIsAnnouncedThreeTimesFiveMillisecondsApart() {
        var announcer = ReadinessAnnouncer(start: 100)
        var times: [UInt64] = []
        var now: UInt64 = 100
        while let next = announcer.nextDeadline {
            now = max(now, next)
            if announcer.due(now: now) { times.append(now) }
            now += 1_000
        }
        #expect(times == [100, 5_100, 10_100])
        #expect(String(decoding: ReadinessAnnouncer.payload(instanceID: "hello-1", bootMicroseconds: 812), as: UTF8.self) == "READY hello-1 812")
    }
}

import Testing

@testable import GuestStack

let guestIP = IPv4Address(10, 88, 0, 10)
let hostIP = IPv4Address(10, 88, 0, 1)
let guestMAC = MACAddress(0x5254_0088_000a)
let hostMAC = MACAddress(0x0200_0000_0001)
let guestIP6 = IPv6Address("fd88::10")!
let hostIP6 = IPv6Address("fd88::1")!

@Suite("Ethernet, ARP, IPv4, ICMP, UDP and TCP wire formats")
struct PacketTests {
    @Test func arpRequestGoldenBytes() {
        let frame = ARPPacket.frame(
            operation: ARPPacket.Operation.request, senderHardware: guestMAC, senderProtocol: guestIP,
            targetHardware: .zero, targetProtocol: hostIP, destination: .broadcast)
        #expect(frame == [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x88, 0x00, 0x0a, 0x08, 0x06,
            0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
            0x52, 0x54, 0x00, 0x88, 0x00, 0x0a, 10, 88, 0, 10,
            0, 0, 0, 0, 0, 0, 10, 88, 0, 1,
        ])
        let parsed = ARPPacket(EthernetFrame(frame[...])!.payload)!
        #expect(parsed.operation == ARPPacket.Operation.request)
        #expect(parsed.senderHardware == guestMAC)
        #expect(parsed.targetProtocol == hostIP)
    }

    @Test func ethernetRefusesRuntFrames() {
        #expect(EthernetFrame([UInt8](repeating: 0, count: 13)[...]) == nil)
        #expect(EthernetFrame([UInt8](repeating: 0, count: 14)[...])?.payload.isEmpty == true)
    }

    @Test func ipv4HeaderRoundTripsAndIsChecked() {
        var packet: [UInt8] = []
        IPv4Packet.appendHeader(
            to: &packet, source: guestIP, destination: hostIP, protocolNumber: IPv4Packet.ProtocolNumber.udp,
            payloadLength: 4, identification: 0x1234)
        packet += [1, 2, 3, 4, 0, 0]  // two bytes of Ethernet padding beyond the total length
        let view = IPv4Packet(packet[...])!
        #expect(view.source == guestIP)
        #expect(view.destination == hostIP)
        #expect(view.totalLength == 24)
        #expect(Array(view.payload) == [1, 2, 3, 4])
        #expect(!view.isFragment)
        var corrupt = packet
        corrupt[8] ^= 1
        #expect(IPv4Packet(corrupt[...]) == nil)
    }

    @Test(arguments: [
        [UInt8](),  // empty
        [0x46] + [UInt8](repeating: 0, count: 19),  // header length 24 > 20 bytes
        [0x65] + [UInt8](repeating: 0, count: 19),  // version 6
        [0x44] + [UInt8](repeating: 0, count: 19),  // header length 16
    ])
    func ipv4RefusesMalformedHeaders(bytes: [UInt8]) {
        #expect(IPv4Packet(bytes[...]) == nil)
    }

    @Test func ipv4RecognisesFragments() {
        for flagsAndOffset: UInt16 in [0x2000, 0x0001, 0x20b9] {
            var packet: [UInt8] = []
            IPv4Packet.appendHeader(
                to: &packet, source: hostIP, destination: guestIP, protocolNumber: 17, payloadLength: 0, identification: 1)
            packet.setUInt16(flagsAndOffset, at: 6)
            packet.setUInt16(0, at: 10)
            packet.setUInt16(InternetChecksum.of(packet[...]), at: 10)
            #expect(IPv4Packet(packet[...])?.isFragment == true)
        }
    }

    @Test func udpGoldenChecksum() {
        let datagram = UDPDatagram.make(
            source: IPEndpoint(address: .v4(guestIP), port: 49152), destination: IPEndpoint(address: .v4(hostIP), port: 5300),
            payload: Array("READY g-1 4474".utf8)[...])
        #expect(Array(datagram.prefix(8)) == [0xc0, 0x00, 0x14, 0xb4, 0x00, 0x16, 0x25, 0xf3])
        let parsed = UDPDatagram(datagram[...], source: .v4(guestIP), destination: .v4(hostIP))!
        #expect(String(decoding: parsed.payload, as: UTF8.self) == "READY g-1 4474")
        #expect(UDPDatagram(datagram[...], source: .v4(guestIP), destination: .v4(IPv4Address(10, 88, 0, 2))) == nil)
    }

    @Test func udpRefusesLengthBeyondTheBytes() {
        let bytes: [UInt8] = [0, 7, 0, 7, 0, 20, 0, 0, 1, 2]
        #expect(UDPDatagram(bytes[...], source: .v4(hostIP), destination: .v4(guestIP)) == nil)
    }

    @Test func icmpEchoReplyKeepsIdentifierSequenceAndData() {
        var request: [UInt8] = [8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 0xde, 0xad, 0xbe]
        request.setUInt16(InternetChecksum.of(request[...]), at: 2)
        let reply = ICMPMessage(request[...])!.echoReply()
        #expect(reply[0] == 0)
        #expect(Array(reply[4...]) == Array(request[4...]))
        #expect(InternetChecksum.of(reply[...]) == 0)
    }

    @Test func tcpSynAckGoldenChecksumAndMSSOption() {
        let segment = TCPSegment.make(
            source: IPEndpoint(address: .v4(guestIP), port: 80), destination: IPEndpoint(address: .v4(hostIP), port: 40000),
            sequenceNumber: SequenceNumber(1000), acknowledgmentNumber: SequenceNumber(2000), flags: [.syn, .ack],
            window: 16384, maximumSegmentSize: 1460)
        #expect(segment.count == 24)
        #expect(segment[16] == 0x9b && segment[17] == 0x13)
        let view = TCPSegment(segment[...], source: .v4(guestIP), destination: .v4(hostIP))!
        #expect(view.flags == [.syn, .ack])
        #expect(view.maximumSegmentSize == 1460)
        #expect(view.sequenceLength == 1)
    }

    @Test(arguments: [
        [UInt8]([1, 1, 2]),  // truncated option
        [3, 0],  // length below 2
        [1, 1, 1, 2],  // MSS whose length byte is past the header
    ])
    func tcpMalformedOptionsYieldNoMSS(options: [UInt8]) {
        var segment = TCPSegment.make(
            source: IPEndpoint(address: .v4(hostIP), port: 1), destination: IPEndpoint(address: .v4(guestIP), port: 80),
            sequenceNumber: SequenceNumber(1), acknowledgmentNumber: SequenceNumber(0), flags: .syn, window: 0)
        var padded = options
        while padded.count % 4 != 0 { padded.append(0) }
        segment.insert(contentsOf: padded, at: 20)
        segment[12] = UInt8((20 + padded.count) / 4) << 4
        segment.setUInt16(0, at: 16)
        var checksum = InternetChecksum.pseudoHeader(source: .v4(hostIP), destination: .v4(guestIP), protocol: 6, length: segment.count)
        checksum.add(segment)
        segment.setUInt16(checksum.value, at: 16)
        #expect(TCPSegment(segment[...], source: .v4(hostIP), destination: .v4(guestIP))?.maximumSegmentSize == nil)
    }

    @Test func macAddressText() {
        #expect(guestMAC.text == "52:54:00:88:00:0a")
        #expect(MACAddress.broadcast.isGroup)
        #expect(!guestMAC.isGroup)
    }
}

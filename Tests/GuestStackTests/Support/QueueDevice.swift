@testable import GuestStack

/// A network device made of two queues: frames a test puts in, frames the stack sent.
struct QueueDevice: NetworkDevice {
    var macAddress: MACAddress = guestMAC
    var incoming: [[UInt8]] = []
    var sent: [[UInt8]] = []
    var refuseTransmit = false

    mutating func receiveFrame() -> [UInt8]? { incoming.isEmpty ? nil : incoming.removeFirst() }

    mutating func transmitFrame(_ frame: [UInt8]) -> Bool {
        guard !refuseTransmit else { return false }
        sent.append(frame)
        return true
    }
}

/// Builders for frames a host on the bridge would send to the guest.
enum HostFrames {
    static func ipv4(
        from source: IPv4Address = hostIP, to destination: IPv4Address = guestIP, protocolNumber: UInt8,
        payload: [UInt8], sourceMAC: MACAddress = hostMAC, destinationMAC: MACAddress = guestMAC
    ) -> [UInt8] {
        var frame = EthernetFrame.beginFrame(
            destination: destinationMAC, source: sourceMAC, etherType: EthernetFrame.EtherType.ipv4, capacity: 20 + payload.count)
        IPv4Packet.appendHeader(
            to: &frame, source: source, destination: destination, protocolNumber: protocolNumber,
            payloadLength: payload.count, identification: 7)
        return frame + payload
    }

    static func ipv6(
        from source: IPv6Address = hostIP6, to destination: IPv6Address = guestIP6, nextHeader: UInt8, payload: [UInt8],
        hopLimit: UInt8 = 64, sourceMAC: MACAddress = hostMAC, destinationMAC: MACAddress = guestMAC
    ) -> [UInt8] {
        var frame = EthernetFrame.beginFrame(
            destination: destinationMAC, source: sourceMAC, etherType: EthernetFrame.EtherType.ipv6, capacity: 40 + payload.count)
        IPv6Packet.appendHeader(
            to: &frame, source: source, destination: destination, nextHeader: nextHeader, payloadLength: payload.count,
            hopLimit: hopLimit)
        return frame + payload
    }

    static func udp6(from source: IPv6Address = hostIP6, fromPort: UInt16, toPort: UInt16, payload: [UInt8]) -> [UInt8] {
        ipv6(
            from: source, nextHeader: IPv6Packet.NextHeader.udp,
            payload: UDPDatagram.make(
                source: IPEndpoint(address: .v6(source), port: fromPort), destination: IPEndpoint(address: .v6(guestIP6), port: toPort),
                payload: payload[...]))
    }

    static func echoRequest6(
        from source: IPv6Address = hostIP6, to destination: IPv6Address = guestIP6, identifier: UInt16, sequence: UInt16,
        data: [UInt8]
    ) -> [UInt8] {
        var body: [UInt8] = []
        body.appendUInt16(identifier)
        body.appendUInt16(sequence)
        body += data
        let message = ICMPv6Message.make(
            type: ICMPv6Message.MessageType.echoRequest, body: body[...], source: source, destination: destination)
        return ipv6(from: source, to: destination, nextHeader: IPv6Packet.NextHeader.icmpv6, payload: message)
    }

    /// A neighbor solicitation from the host for `target`, to its solicited-node group.
    static func neighborSolicitation(target: IPv6Address, from source: IPv6Address = hostIP6, hopLimit: UInt8 = 255) -> [UInt8] {
        let message = NeighborDiscoveryMessage.solicitation(target: target, source: source, sourceMAC: hostMAC)
        return ipv6(
            from: source, to: target.solicitedNode, nextHeader: IPv6Packet.NextHeader.icmpv6, payload: message,
            hopLimit: hopLimit, destinationMAC: target.solicitedNode.multicastMAC)
    }

    /// An MLD query from a router on the link: general (`group` nil) or for one group; MLDv1's
    /// 24 bytes or MLDv2's 28.
    static func multicastListenerQuery(
        group: IPv6Address? = nil, version1: Bool = false, from source: IPv6Address = IPv6Address("fe80::1")!,
        hopLimit: UInt8 = 1
    ) -> [UInt8] {
        var body: [UInt8] = [0x27, 0x10, 0, 0]  // maximum response delay 10 s, reserved
        (group ?? .unspecified).append(to: &body)
        if !version1 { body += [0x02, 125, 0, 0] }  // QRV 2, QQIC 125 s, no sources
        let destination = group ?? .allNodes
        let message = ICMPv6Message.make(type: 130, body: body[...], source: source, destination: destination)
        return ipv6(
            from: source, to: destination, nextHeader: IPv6Packet.NextHeader.hopByHop,
            payload: MulticastListenerMessage.hopByHopRouterAlert + message, hopLimit: hopLimit,
            destinationMAC: destination.multicastMAC)
    }

    /// The host's solicited advertisement of `target` (normally its own address) at `mac`.
    static func neighborAdvertisement(target: IPv6Address = hostIP6, mac: MACAddress = hostMAC, to destination: IPv6Address = guestIP6) -> [UInt8] {
        let message = NeighborDiscoveryMessage.advertisement(
            target: target, targetMAC: mac, flags: [.solicited, .override], source: target, destination: destination)
        return ipv6(from: target, to: destination, nextHeader: IPv6Packet.NextHeader.icmpv6, payload: message, hopLimit: 255, sourceMAC: mac)
    }

    static func udp(fromPort: UInt16, toPort: UInt16, payload: [UInt8]) -> [UInt8] {
        ipv4(
            protocolNumber: IPv4Packet.ProtocolNumber.udp,
            payload: UDPDatagram.make(
                source: IPEndpoint(address: .v4(hostIP), port: fromPort), destination: IPEndpoint(address: .v4(guestIP), port: toPort),
                payload: payload[...]))
    }

    static func echoRequest(identifier: UInt16, sequence: UInt16, data: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [8, 0, 0, 0]
        message.appendUInt16(identifier)
        message.appendUInt16(sequence)
        message += data
        message.setUInt16(InternetChecksum.of(message[...]), at: 2)
        return ipv4(protocolNumber: IPv4Packet.ProtocolNumber.icmp, payload: message)
    }

    static func arp(operation: UInt16, target: IPv4Address = guestIP, destination: MACAddress = .broadcast) -> [UInt8] {
        ARPPacket.frame(
            operation: operation, senderHardware: hostMAC, senderProtocol: hostIP,
            targetHardware: operation == ARPPacket.Operation.reply ? guestMAC : .zero, targetProtocol: target,
            destination: destination)
    }

    static func tcp(
        fromPort: UInt16 = 40000, toPort: UInt16 = 80, sequence: UInt32, acknowledgment: UInt32 = 0,
        flags: TCPSegment.Flags, window: UInt16 = 65535, mss: UInt16? = nil, payload: [UInt8] = []
    ) -> [UInt8] {
        ipv4(
            protocolNumber: IPv4Packet.ProtocolNumber.tcp,
            payload: TCPSegment.make(
                source: IPEndpoint(address: .v4(hostIP), port: fromPort), destination: IPEndpoint(address: .v4(guestIP), port: toPort),
                sequenceNumber: SequenceNumber(sequence), acknowledgmentNumber: SequenceNumber(acknowledgment), flags: flags,
                window: window, maximumSegmentSize: mss, payload: payload[...]))
    }
}

/// The parts of a frame the stack sent, decoded for assertions.
struct SentFrame {
    let ethernet: EthernetFrame
    var ipv4: IPv4Packet? { IPv4Packet(ethernet.payload) }
    var arp: ARPPacket? { ARPPacket(ethernet.payload) }
    var udp: UDPDatagram? { ipv4.flatMap { UDPDatagram($0.payload, source: .v4($0.source), destination: .v4($0.destination)) } }
    var tcp: TCPSegment? { ipv4.flatMap { TCPSegment($0.payload, source: .v4($0.source), destination: .v4($0.destination)) } }
    var ipv6: IPv6Packet? { IPv6Packet(ethernet.payload) }
    var icmpv6: ICMPv6Message? { ipv6.flatMap { ICMPv6Message($0.payload, source: $0.source, destination: $0.destination) } }
    var neighborDiscovery: NeighborDiscoveryMessage? {
        guard let ipv6, let icmpv6 else { return nil }
        return NeighborDiscoveryMessage(icmpv6, in: ipv6)
    }
    /// The ICMPv6 message behind a hop-by-hop header (MLD).
    var multicastListenerMessage: ICMPv6Message? {
        guard let ipv6, let inner = ipv6.afterHopByHop, inner.nextHeader == IPv6Packet.NextHeader.icmpv6 else { return nil }
        return ICMPv6Message(inner.payload, source: ipv6.source, destination: ipv6.destination)
    }
    var udp6: UDPDatagram? { ipv6.flatMap { UDPDatagram($0.payload, source: .v6($0.source), destination: .v6($0.destination)) } }
    var tcp6: TCPSegment? { ipv6.flatMap { TCPSegment($0.payload, source: .v6($0.source), destination: .v6($0.destination)) } }

    init(_ bytes: [UInt8]) { ethernet = EthernetFrame(bytes[...])! }
}

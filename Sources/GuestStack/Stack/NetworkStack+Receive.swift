/// Incoming frames, layer by layer.
extension NetworkStack {
    mutating func handleFrame(_ bytes: [UInt8], now: UInt64) {
        guard let frame = EthernetFrame(bytes[...]) else { return ignore() }
        let destination = frame.destination
        // IPv6 multicast groups map to 33:33:...; which groups are ours is decided by address.
        guard destination == macAddress || destination == .broadcast || destination.value >> 32 == 0x3333 else {
            return ignore()
        }
        switch frame.etherType {
        case EthernetFrame.EtherType.arp: handleARP(frame.payload, now: now)
        case EthernetFrame.EtherType.ipv4: handleIPv4(frame.payload, sourceHardware: frame.source, now: now)
        case EthernetFrame.EtherType.ipv6: handleIPv6(frame.payload, sourceHardware: frame.source, now: now)
        default: ignore()
        }
    }

    mutating func ignore() { statistics.framesIgnored += 1 }

    mutating func handleARP(_ bytes: ArraySlice<UInt8>, now: UInt64) {
        guard let packet = ARPPacket(bytes) else { return ignore() }
        let sender = packet.senderProtocol
        let forUs = packet.targetProtocol == address
        // RFC 826: refresh a known sender; learn a new one only when the packet is for us.
        if sender.value != 0, !packet.senderHardware.isGroup, forUs || arpCache.contains(sender) {
            arpCache.insert(sender, packet.senderHardware, now: now)
            for var frame in arpResolver.resolved(sender) {
                packet.senderHardware.write(to: &frame, at: 0)
                transmit(frame)
            }
        }
        guard forUs, packet.operation == ARPPacket.Operation.request, sender != address else { return }
        transmit(
            ARPPacket.frame(
                operation: ARPPacket.Operation.reply, senderHardware: macAddress, senderProtocol: address,
                targetHardware: packet.senderHardware, targetProtocol: sender, destination: packet.senderHardware))
    }

    mutating func handleIPv4(_ bytes: ArraySlice<UInt8>, sourceHardware: MACAddress, now: UInt64) {
        guard let packet = IPv4Packet(bytes) else { return ignore() }
        let destination = packet.destination
        guard destination == address || destination == interface.broadcast || destination.value == 0xffff_ffff else {
            return ignore()
        }
        if packet.isFragment {
            statistics.fragmentsDropped += 1
            return
        }
        switch packet.protocolNumber {
        case IPv4Packet.ProtocolNumber.icmp: handleICMP(packet, now: now)
        case IPv4Packet.ProtocolNumber.udp: handleUDP(packet.payload, source: .v4(packet.source), destination: .v4(destination))
        case IPv4Packet.ProtocolNumber.tcp:
            guard destination == address else { return ignore() }
            handleTCP(packet.payload, source: .v4(packet.source), destination: .v4(destination), now: now)
        default: ignore()
        }
    }

    mutating func handleICMP(_ packet: IPv4Packet, now: UInt64) {
        guard let message = ICMPMessage(packet.payload) else { return ignore() }
        guard message.type == ICMPMessage.MessageType.echoRequest, packet.destination == address else { return }
        let reply = message.echoReply()
        if sendIPv4(to: packet.source, protocolNumber: IPv4Packet.ProtocolNumber.icmp, payload: reply[...], now: now) {
            statistics.echoRepliesSent += 1
        }
    }

    mutating func handleTCP(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress, now: UInt64) {
        guard let segment = TCPSegment(bytes, source: source, destination: destination) else { return ignore() }
        tcp.handle(segment, from: source, to: destination, now: now)
    }

    mutating func handleUDP(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) {
        guard let datagram = UDPDatagram(bytes, source: source, destination: destination) else { return ignore() }
        let received = ReceivedDatagram(
            source: IPEndpoint(address: source, port: datagram.sourcePort),
            destinationPort: datagram.destinationPort, payload: Array(datagram.payload))
        if udp.deliver(received) { statistics.udpDelivered += 1 } else { ignore() }
    }
}

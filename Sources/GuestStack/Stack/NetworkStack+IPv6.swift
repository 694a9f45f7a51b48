/// IPv6: receiving, neighbor discovery (RFC 4861), echo (RFC 4443) and sending; multicast
/// listener discovery is in NetworkStack+MulticastListener.swift.
///
/// Not done: duplicate address detection (the host assigns addresses, as RFC 4862 allows with
/// DupAddrDetectTransmits = 0), router discovery (the router comes from `gw6=`), extension
/// headers other than an MLD query's hop-by-hop options, and fragments (dropped).
extension NetworkStack {
    /// True for the stack's unicast addresses: link-local and the configured one.
    func isOwnAddress(_ address: IPv6Address) -> Bool {
        address == linkLocalAddress || address == interface6?.address
    }

    /// True for a destination the stack listens on: its unicast addresses, all-nodes, and their
    /// solicited-node groups.
    func acceptsDestination(_ address: IPv6Address) -> Bool {
        if isOwnAddress(address) || address == .allNodes { return true }
        return address == linkLocalAddress.solicitedNode || address == interface6?.address.solicitedNode
    }

    /// The source for packets to `destination` (RFC 6724 reduced to two candidates): link-local
    /// for link-local and multicast destinations, the configured address for the rest, nil when
    /// there is none.
    func sourceAddress(toward destination: IPv6Address) -> IPv6Address? {
        if destination.isLinkLocal || destination.isMulticast { return linkLocalAddress }
        return interface6?.address
    }

    mutating func handleIPv6(_ bytes: ArraySlice<UInt8>, sourceHardware: MACAddress, now: UInt64) {
        guard let packet = IPv6Packet(bytes) else { return ignore() }
        let destination = packet.destination
        guard acceptsDestination(destination), !packet.source.isMulticast else { return ignore() }
        if packet.nextHeader == IPv6Packet.NextHeader.hopByHop { return handleHopByHop(packet) }
        if packet.hasExtensionHeader {
            if packet.nextHeader == IPv6Packet.NextHeader.fragment { statistics.fragmentsDropped += 1 } else { ignore() }
            return
        }
        let source = packet.source
        switch packet.nextHeader {
        case IPv6Packet.NextHeader.icmpv6: handleICMPv6(packet, sourceHardware: sourceHardware, now: now)
        case IPv6Packet.NextHeader.udp:
            guard !source.isUnspecified else { return ignore() }
            handleUDP(packet.payload, source: .v6(source), destination: .v6(destination))
        case IPv6Packet.NextHeader.tcp:
            guard isOwnAddress(destination), !source.isUnspecified else { return ignore() }
            handleTCP(packet.payload, source: .v6(source), destination: .v6(destination), now: now)
        default: ignore()
        }
    }

    mutating func handleICMPv6(_ packet: IPv6Packet, sourceHardware: MACAddress, now: UInt64) {
        guard let message = ICMPv6Message(packet.payload, source: packet.source, destination: packet.destination) else {
            return ignore()
        }
        switch message.type {
        case ICMPv6Message.MessageType.echoRequest:
            guard message.code == 0, isOwnAddress(packet.destination), !packet.source.isUnspecified else { return ignore() }
            let reply = ICMPv6Message.make(
                type: ICMPv6Message.MessageType.echoReply, body: message.body, source: packet.destination,
                destination: packet.source)
            if sendIPv6(
                from: packet.destination, to: packet.source, nextHeader: IPv6Packet.NextHeader.icmpv6, payload: reply[...],
                now: now)
            {
                statistics.echoRepliesSent += 1
            }
        case ICMPv6Message.MessageType.neighborSolicitation, ICMPv6Message.MessageType.neighborAdvertisement:
            guard let neighbor = NeighborDiscoveryMessage(message, in: packet) else { return ignore() }
            if neighbor.isSolicitation {
                handleNeighborSolicitation(neighbor, in: packet, sourceHardware: sourceHardware, now: now)
            } else {
                handleNeighborAdvertisement(neighbor, now: now)
            }
        default: ignore()
        }
    }

    /// RFC 4861, 7.2.3: learn the sender, then advertise the target if it is ours.
    mutating func handleNeighborSolicitation(
        _ solicitation: NeighborDiscoveryMessage, in packet: IPv6Packet, sourceHardware: MACAddress, now: UInt64
    ) {
        guard isOwnAddress(solicitation.target) else { return }
        let source = packet.source
        if !source.isUnspecified, let hardware = solicitation.linkLayerAddress, !hardware.isGroup {
            learnNeighbor(source, at: hardware, now: now)
        }
        // A duplicate-address probe (unspecified source) is answered to all nodes, unsolicited.
        let toAllNodes = source.isUnspecified
        let destination = toAllNodes ? IPv6Address.allNodes : source
        let advertisement = NeighborDiscoveryMessage.advertisement(
            target: solicitation.target, targetMAC: macAddress, flags: toAllNodes ? [.override] : [.solicited, .override],
            source: solicitation.target, destination: destination)
        let hardware = toAllNodes ? destination.multicastMAC : (solicitation.linkLayerAddress ?? sourceHardware)
        if transmitIPv6(
            advertisement[...], from: solicitation.target, to: destination, nextHeader: IPv6Packet.NextHeader.icmpv6,
            hopLimit: 255, hardware: hardware)
        {
            statistics.neighborAdvertisementsSent += 1
        }
    }

    /// RFC 4861, 7.2.5: an advertisement updates a neighbor already known or being resolved;
    /// others are not learned (nobody may fill the cache by advertising at the guest).
    mutating func handleNeighborAdvertisement(_ advertisement: NeighborDiscoveryMessage, now: UInt64) {
        guard let hardware = advertisement.linkLayerAddress, !hardware.isGroup else { return }
        let target = advertisement.target
        if neighborCache.contains(target) || neighborResolver.isWaiting(for: target) {
            learnNeighbor(target, at: hardware, now: now)
        }
    }

    /// Records `address` at `hardware` and sends the frames that waited for it.
    mutating func learnNeighbor(_ address: IPv6Address, at hardware: MACAddress, now: UInt64) {
        neighborCache.insert(address, hardware, now: now)
        for var frame in neighborResolver.resolved(address) {
            hardware.write(to: &frame, at: 0)
            transmit(frame)
        }
    }

    /// Wraps `payload` in IPv6 and Ethernet and sends it, resolving the next hop first if
    /// needed. False when the destination is unreachable (off the prefix with no router) or
    /// the frame could not be queued.
    @discardableResult
    mutating func sendIPv6(
        from source: IPv6Address, to destination: IPv6Address, nextHeader: UInt8, payload: ArraySlice<UInt8>, now: UInt64
    ) -> Bool {
        if destination.isMulticast {
            return transmitIPv6(payload, from: source, to: destination, nextHeader: nextHeader, hardware: destination.multicastMAC)
        }
        let onLink = destination.isLinkLocal || interface6?.contains(destination) == true
        guard let nextHop = onLink ? destination : gateway6 else { return false }
        if let hardware = neighborCache.lookup(nextHop, now: now) {
            return transmitIPv6(payload, from: source, to: destination, nextHeader: nextHeader, hardware: hardware)
        }
        let frame = ipv6Frame(payload, from: source, to: destination, nextHeader: nextHeader, hopLimit: 64, hardware: .zero)
        if neighborResolver.enqueue(frame, for: nextHop, now: now) { sendNeighborSolicitation(for: nextHop) }
        return true
    }

    @discardableResult
    mutating func transmitIPv6(
        _ payload: ArraySlice<UInt8>, from source: IPv6Address, to destination: IPv6Address, nextHeader: UInt8,
        hopLimit: UInt8 = 64, hardware: MACAddress
    ) -> Bool {
        transmit(ipv6Frame(payload, from: source, to: destination, nextHeader: nextHeader, hopLimit: hopLimit, hardware: hardware))
    }

    func ipv6Frame(
        _ payload: ArraySlice<UInt8>, from source: IPv6Address, to destination: IPv6Address, nextHeader: UInt8,
        hopLimit: UInt8, hardware: MACAddress
    ) -> [UInt8] {
        var frame = EthernetFrame.beginFrame(
            destination: hardware, source: macAddress, etherType: EthernetFrame.EtherType.ipv6,
            capacity: IPv6Packet.headerLength + payload.count)
        IPv6Packet.appendHeader(
            to: &frame, source: source, destination: destination, nextHeader: nextHeader, payloadLength: payload.count,
            hopLimit: hopLimit)
        frame.append(contentsOf: payload)
        return frame
    }

    /// Asks the target's solicited-node group who has `target` (RFC 4861, 7.2.2).
    mutating func sendNeighborSolicitation(for target: IPv6Address) {
        let source = sourceAddress(toward: target) ?? linkLocalAddress
        let solicitation = NeighborDiscoveryMessage.solicitation(target: target, source: source, sourceMAC: macAddress)
        let group = target.solicitedNode
        transmitIPv6(
            solicitation[...], from: source, to: group, nextHeader: IPv6Packet.NextHeader.icmpv6, hopLimit: 255,
            hardware: group.multicastMAC)
    }

    /// An unsolicited advertisement of `address` to all nodes (RFC 4861, 7.2.6).
    mutating func announceIPv6(_ address: IPv6Address) {
        let advertisement = NeighborDiscoveryMessage.advertisement(
            target: address, targetMAC: macAddress, flags: [.override], source: address, destination: .allNodes)
        transmitIPv6(
            advertisement[...], from: address, to: .allNodes, nextHeader: IPv6Packet.NextHeader.icmpv6, hopLimit: 255,
            hardware: IPv6Address.allNodes.multicastMAC)
    }
}

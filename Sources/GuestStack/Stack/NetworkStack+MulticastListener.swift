/// Multicast listener discovery (RFC 3810; RFC 2710 queries answered in kind): the guest
/// reports its solicited-node groups so snooping bridges keep passing neighbor solicitations
/// to it. Reports answer queries at once rather than after a random delay: a guest is one
/// listener among few on its bridge.
extension NetworkStack {
    /// The only packets with hop-by-hop options the stack takes: MLD queries.
    mutating func handleHopByHop(_ packet: IPv6Packet) {
        guard let inner = packet.afterHopByHop, inner.nextHeader == IPv6Packet.NextHeader.icmpv6,
            let message = ICMPv6Message(inner.payload, source: packet.source, destination: packet.destination),
            let query = MulticastListenerMessage.query(in: message),
            // RFC 3810, 5.1.14 and 6.2: from a router on this link, never forwarded.
            packet.source.isLinkLocal, packet.hopLimit == 1
        else { return ignore() }
        let groups = multicastGroups.filter { query.group == nil || query.group == $0 }
        guard !groups.isEmpty else { return }
        if query.isVersion1 {
            for group in groups {
                sendMulticastListenerMessage(
                    type: MulticastListenerMessage.MessageType.reportV1,
                    body: MulticastListenerMessage.reportV1Body(group: group), to: group)
            }
        } else {
            reportMulticastGroups(groups, recordType: MulticastListenerMessage.RecordType.modeIsExclude)
        }
    }

    /// The groups the stack listens to beside all-nodes (which is never reported): the
    /// solicited-node groups of its addresses.
    var multicastGroups: [IPv6Address] {
        var groups = [linkLocalAddress.solicitedNode]
        if let interface6, interface6.address.solicitedNode != groups[0] { groups.append(interface6.address.solicitedNode) }
        return groups
    }

    /// One MLDv2 report listing `groups` (all of the stack's by default) to ff02::16.
    mutating func reportMulticastGroups(_ groups: [IPv6Address]? = nil, recordType: UInt8) {
        sendMulticastListenerMessage(
            type: MulticastListenerMessage.MessageType.reportV2,
            body: MulticastListenerMessage.reportV2Body(groups: groups ?? multicastGroups, recordType: recordType),
            to: MulticastListenerMessage.allMLDv2Routers)
    }

    /// An MLD message as RFC 3810, 5 wants it: from the link-local address, hop limit 1, with a
    /// Router Alert in a hop-by-hop header.
    mutating func sendMulticastListenerMessage(type: UInt8, body: [UInt8], to destination: IPv6Address) {
        let message = ICMPv6Message.make(type: type, body: body[...], source: linkLocalAddress, destination: destination)
        transmitIPv6(
            (MulticastListenerMessage.hopByHopRouterAlert + message)[...], from: linkLocalAddress, to: destination,
            nextHeader: IPv6Packet.NextHeader.hopByHop, hopLimit: 1, hardware: destination.multicastMAC)
    }
}

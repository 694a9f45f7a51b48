/// A neighbor solicitation or advertisement (RFC 4861, sections 4.3 and 4.4): IPv6's ARP.
///
/// The checked initialiser applies the validity tests of sections 7.1.1 and 7.1.2, so the stack
/// never learns a neighbor from a packet that came from off the link or is malformed.
public struct NeighborDiscoveryMessage {
    /// Body offsets (after type, code and checksum).
    enum Offset {
        static let flags = 0
        static let target = 4
        static let options = 20
    }

    /// Option types carrying a link-layer address.
    enum OptionType {
        static let sourceLinkLayerAddress: UInt8 = 1
        static let targetLinkLayerAddress: UInt8 = 2
    }

    /// Advertisement flags.
    public struct Flags: OptionSet, Equatable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let router = Flags(rawValue: 0x80)
        public static let solicited = Flags(rawValue: 0x40)
        public static let override = Flags(rawValue: 0x20)
    }

    public let isSolicitation: Bool
    /// Advertisement flags; empty for a solicitation.
    public let flags: Flags
    /// The address being resolved (solicitation) or announced (advertisement).
    public let target: IPv6Address
    /// The sender's link-layer address (solicitation) or the target's (advertisement), when the
    /// message carries one.
    public let linkLayerAddress: MACAddress?

    /// A validated message, or nil when `message` is not a valid solicitation or advertisement
    /// in `packet`.
    public init?(_ message: ICMPv6Message, in packet: IPv6Packet) {
        let type = message.type
        guard type == ICMPv6Message.MessageType.neighborSolicitation || type == ICMPv6Message.MessageType.neighborAdvertisement,
            packet.hopLimit == 255, message.code == 0
        else { return nil }
        let body = message.body
        guard body.count >= Offset.options else { return nil }
        let target = IPv6Address(body, at: Offset.target)
        guard !target.isMulticast else { return nil }
        isSolicitation = type == ICMPv6Message.MessageType.neighborSolicitation
        flags = isSolicitation ? [] : Flags(rawValue: body.byte(at: Offset.flags) & 0xe0)
        self.target = target

        let wanted = isSolicitation ? OptionType.sourceLinkLayerAddress : OptionType.targetLinkLayerAddress
        var found: MACAddress? = nil
        var index = body.startIndex + Offset.options
        while index < body.endIndex {
            guard index + 1 < body.endIndex else { return nil }
            let length = Int(body[index + 1]) * 8
            guard length > 0, index + length <= body.endIndex else { return nil }
            if body[index] == wanted && length == 8 { found = MACAddress(body, at: index + 2 - body.startIndex) }
            index += length
        }
        linkLayerAddress = found

        if isSolicitation && packet.source.isUnspecified {
            guard packet.destination == target.solicitedNode, found == nil else { return nil }
        }
        if !isSolicitation && packet.destination.isMulticast && flags.contains(.solicited) { return nil }
    }

    /// A solicitation for `target` from `source`, carrying `sourceMAC`, sent to the target's
    /// solicited-node group.
    public static func solicitation(target: IPv6Address, source: IPv6Address, sourceMAC: MACAddress) -> [UInt8] {
        var body: [UInt8] = [0, 0, 0, 0]
        target.append(to: &body)
        appendLinkLayerOption(OptionType.sourceLinkLayerAddress, sourceMAC, to: &body)
        return ICMPv6Message.make(
            type: ICMPv6Message.MessageType.neighborSolicitation, body: body[...], source: source,
            destination: target.solicitedNode)
    }

    /// An advertisement that `target` is at `targetMAC`, from `source` to `destination`.
    public static func advertisement(
        target: IPv6Address, targetMAC: MACAddress, flags: Flags, source: IPv6Address, destination: IPv6Address
    ) -> [UInt8] {
        var body: [UInt8] = [flags.rawValue, 0, 0, 0]
        target.append(to: &body)
        appendLinkLayerOption(OptionType.targetLinkLayerAddress, targetMAC, to: &body)
        return ICMPv6Message.make(
            type: ICMPv6Message.MessageType.neighborAdvertisement, body: body[...], source: source, destination: destination)
    }

    static func appendLinkLayerOption(_ type: UInt8, _ mac: MACAddress, to body: inout [UInt8]) {
        body.append(type)
        body.append(1)  // in units of 8 bytes
        mac.append(to: &body)
    }
}

/// An ARP packet for IPv4 over Ethernet (RFC 826), viewed in place.
public struct ARPPacket {
    enum Offset {
        static let hardwareType = 0
        static let protocolType = 2
        static let hardwareLength = 4
        static let protocolLength = 5
        static let operation = 6
        static let senderHardware = 8
        static let senderProtocol = 14
        static let targetHardware = 18
        static let targetProtocol = 24
    }

    /// The length of an Ethernet/IPv4 ARP packet.
    public static let length = 28

    /// The operation field's values.
    public enum Operation {
        public static let request: UInt16 = 1
        public static let reply: UInt16 = 2
    }

    public let bytes: ArraySlice<UInt8>

    /// A view, or nil unless `bytes` hold an Ethernet/IPv4 ARP packet.
    public init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Self.length,
            bytes.uint16(at: Offset.hardwareType) == 1,
            bytes.uint16(at: Offset.protocolType) == EthernetFrame.EtherType.ipv4,
            bytes.byte(at: Offset.hardwareLength) == 6,
            bytes.byte(at: Offset.protocolLength) == 4
        else { return nil }
        self.bytes = bytes
    }

    public var operation: UInt16 { bytes.uint16(at: Offset.operation) }
    public var senderHardware: MACAddress { MACAddress(bytes, at: Offset.senderHardware) }
    public var senderProtocol: IPv4Address { IPv4Address(bytes.uint32(at: Offset.senderProtocol)) }
    public var targetHardware: MACAddress { MACAddress(bytes, at: Offset.targetHardware) }
    public var targetProtocol: IPv4Address { IPv4Address(bytes.uint32(at: Offset.targetProtocol)) }

    /// A complete Ethernet frame carrying an ARP packet.
    public static func frame(
        operation: UInt16, senderHardware: MACAddress, senderProtocol: IPv4Address,
        targetHardware: MACAddress, targetProtocol: IPv4Address, destination: MACAddress
    ) -> [UInt8] {
        var frame = EthernetFrame.beginFrame(
            destination: destination, source: senderHardware, etherType: EthernetFrame.EtherType.arp,
            capacity: length)
        frame.appendUInt16(1)
        frame.appendUInt16(EthernetFrame.EtherType.ipv4)
        frame.append(6)
        frame.append(4)
        frame.appendUInt16(operation)
        senderHardware.append(to: &frame)
        frame.appendUInt32(senderProtocol.value)
        targetHardware.append(to: &frame)
        frame.appendUInt32(targetProtocol.value)
        return frame
    }
}

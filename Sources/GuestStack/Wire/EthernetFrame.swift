/// An Ethernet II frame viewed in place: destination, source, EtherType, payload. The frame
/// check sequence is never present (virtio strips it).
public struct EthernetFrame {
    /// Header field offsets.
    enum Offset {
        static let destination = 0
        static let source = 6
        static let etherType = 12
        static let payload = 14
    }

    /// The size of the header.
    public static let headerLength = 14

    /// The EtherTypes the stack understands.
    public enum EtherType {
        public static let ipv4: UInt16 = 0x0800
        public static let arp: UInt16 = 0x0806
        public static let ipv6: UInt16 = 0x86dd
    }

    /// The frame's bytes, header included.
    public let bytes: ArraySlice<UInt8>

    /// A view of `bytes`, or nil when they are too short to hold a header.
    public init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    public var destination: MACAddress { MACAddress(bytes, at: Offset.destination) }
    public var source: MACAddress { MACAddress(bytes, at: Offset.source) }
    public var etherType: UInt16 { bytes.uint16(at: Offset.etherType) }
    public var payload: ArraySlice<UInt8> { bytes.dropping(Offset.payload) }

    /// Starts a frame: appends the 14-byte header to an empty buffer; the payload follows.
    public static func beginFrame(
        destination: MACAddress, source: MACAddress, etherType: UInt16, capacity: Int
    ) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(headerLength + capacity)
        destination.append(to: &frame)
        source.append(to: &frame)
        frame.appendUInt16(etherType)
        return frame
    }
}

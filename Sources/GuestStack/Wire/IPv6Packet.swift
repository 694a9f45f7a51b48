/// An IPv6 packet (RFC 8200) viewed in place: the fixed 40-byte header and its payload.
///
/// The stack reads only packets whose next header is the upper layer itself; extension headers
/// (fragments among them) are recognised by number and dropped by the caller.
public struct IPv6Packet {
    enum Offset {
        static let versionClassAndFlow = 0
        static let payloadLength = 4
        static let nextHeader = 6
        static let hopLimit = 7
        static let source = 8
        static let destination = 24
    }

    /// The fixed header.
    public static let headerLength = 40

    /// Next-header values the stack knows.
    public enum NextHeader {
        public static let hopByHop: UInt8 = 0
        public static let tcp: UInt8 = 6
        public static let udp: UInt8 = 17
        public static let routing: UInt8 = 43
        public static let fragment: UInt8 = 44
        public static let icmpv6: UInt8 = 58
        public static let destinationOptions: UInt8 = 60
    }

    /// The packet cut to its payload length (Ethernet may pad short frames).
    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when `bytes` are not version 6 or the payload length does not fit.
    public init?(_ frameBytes: ArraySlice<UInt8>) {
        guard frameBytes.count >= Self.headerLength, frameBytes.byte(at: Offset.versionClassAndFlow) >> 4 == 6 else {
            return nil
        }
        let total = Self.headerLength + Int(frameBytes.uint16(at: Offset.payloadLength))
        guard total <= frameBytes.count else { return nil }
        bytes = frameBytes.prefix(total)
    }

    public var nextHeader: UInt8 { bytes.byte(at: Offset.nextHeader) }
    public var hopLimit: UInt8 { bytes.byte(at: Offset.hopLimit) }
    public var source: IPv6Address { IPv6Address(bytes, at: Offset.source) }
    public var destination: IPv6Address { IPv6Address(bytes, at: Offset.destination) }
    public var payload: ArraySlice<UInt8> { bytes.dropping(Self.headerLength) }

    /// True for the extension headers RFC 8200 defines before an upper layer; the stack sends
    /// none and drops packets that carry them (a fragment header among them).
    public var hasExtensionHeader: Bool {
        switch nextHeader {
        case NextHeader.hopByHop, NextHeader.routing, NextHeader.fragment, NextHeader.destinationOptions: return true
        default: return false
        }
    }

    /// The upper layer behind a hop-by-hop options header (MLD queries come with one), or nil
    /// when the packet has none or it does not fit. The options themselves are not interpreted.
    public var afterHopByHop: (nextHeader: UInt8, payload: ArraySlice<UInt8>)? {
        guard nextHeader == NextHeader.hopByHop else { return nil }
        let payload = self.payload
        guard payload.count >= 8 else { return nil }
        let length = (Int(payload.byte(at: 1)) + 1) * 8
        guard length <= payload.count else { return nil }
        return (payload.byte(at: 0), payload.dropping(length))
    }

    /// Appends the 40-byte header to `frame`; the caller appends `payloadLength` bytes after it.
    public static func appendHeader(
        to frame: inout [UInt8], source: IPv6Address, destination: IPv6Address, nextHeader: UInt8,
        payloadLength: Int, hopLimit: UInt8 = 64
    ) {
        frame.appendUInt32(0x6000_0000)
        frame.appendUInt16(UInt16(truncatingIfNeeded: payloadLength))
        frame.append(nextHeader)
        frame.append(hopLimit)
        source.append(to: &frame)
        destination.append(to: &frame)
    }
}

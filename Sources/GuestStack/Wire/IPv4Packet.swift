/// An IPv4 packet (RFC 791) viewed in place. The checked initialiser accepts only packets the
/// stack can use whole: version 4, a sane header length, a total length that fits the frame,
/// and a correct header checksum. Fragments are recognised so the stack can drop them.
public struct IPv4Packet {
    enum Offset {
        static let versionAndHeaderLength = 0
        static let totalLength = 2
        static let identification = 4
        static let flagsAndFragmentOffset = 6
        static let timeToLive = 8
        static let protocolNumber = 9
        static let checksum = 10
        static let source = 12
        static let destination = 16
    }

    /// The header length without options.
    public static let minimumHeaderLength = 20

    /// Protocol numbers.
    public enum ProtocolNumber {
        public static let icmp: UInt8 = 1
        public static let tcp: UInt8 = 6
        public static let udp: UInt8 = 17
    }

    /// The packet, header and payload, cut to its total length (Ethernet may pad short frames).
    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when `bytes` are not a well-formed IPv4 packet.
    public init?(_ frameBytes: ArraySlice<UInt8>) {
        guard frameBytes.count >= Self.minimumHeaderLength else { return nil }
        let first = frameBytes.byte(at: Offset.versionAndHeaderLength)
        let headerLength = Int(first & 0x0f) * 4
        let totalLength = Int(frameBytes.uint16(at: Offset.totalLength))
        guard first >> 4 == 4, headerLength >= Self.minimumHeaderLength,
            totalLength >= headerLength, totalLength <= frameBytes.count
        else { return nil }
        let bytes = frameBytes.prefix(totalLength)
        guard InternetChecksum.of(bytes.prefix(headerLength)) == 0 else { return nil }
        self.bytes = bytes
    }

    public var headerLength: Int { Int(bytes.byte(at: Offset.versionAndHeaderLength) & 0x0f) * 4 }
    public var totalLength: Int { Int(bytes.uint16(at: Offset.totalLength)) }
    public var identification: UInt16 { bytes.uint16(at: Offset.identification) }
    public var timeToLive: UInt8 { bytes.byte(at: Offset.timeToLive) }
    public var protocolNumber: UInt8 { bytes.byte(at: Offset.protocolNumber) }
    public var source: IPv4Address { IPv4Address(bytes.uint32(at: Offset.source)) }
    public var destination: IPv4Address { IPv4Address(bytes.uint32(at: Offset.destination)) }
    public var payload: ArraySlice<UInt8> { bytes.dropping(headerLength) }

    /// True for any fragment: more-fragments set or a non-zero offset. Reassembly is not
    /// supported; the stack drops fragments (nobody it talks to needs them).
    public var isFragment: Bool {
        let field = bytes.uint16(at: Offset.flagsAndFragmentOffset)
        return field & 0x2000 != 0 || field & 0x1fff != 0
    }

    /// Appends a 20-byte header (no options, don't-fragment set) with its checksum to `frame`;
    /// the caller appends `payloadLength` bytes of payload after it.
    public static func appendHeader(
        to frame: inout [UInt8], source: IPv4Address, destination: IPv4Address,
        protocolNumber: UInt8, payloadLength: Int, identification: UInt16, timeToLive: UInt8 = 64
    ) {
        let start = frame.count
        frame.append(0x45)
        frame.append(0)
        frame.appendUInt16(UInt16(truncatingIfNeeded: minimumHeaderLength + payloadLength))
        frame.appendUInt16(identification)
        frame.appendUInt16(0x4000)
        frame.append(timeToLive)
        frame.append(protocolNumber)
        frame.appendUInt16(0)
        frame.appendUInt32(source.value)
        frame.appendUInt32(destination.value)
        frame.setUInt16(InternetChecksum.of(frame[start..<frame.count]), at: start + Offset.checksum)
    }
}

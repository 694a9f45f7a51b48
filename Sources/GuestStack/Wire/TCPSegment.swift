/// A TCP segment (RFC 9293) viewed in place, checksum verified against the pseudo-header.
public struct TCPSegment {
    enum Offset {
        static let sourcePort = 0
        static let destinationPort = 2
        static let sequenceNumber = 4
        static let acknowledgmentNumber = 8
        static let dataOffset = 12
        static let flags = 13
        static let window = 14
        static let checksum = 16
        static let urgentPointer = 18
        static let options = 20
    }

    public static let minimumHeaderLength = 20

    /// Control bits.
    public struct Flags: OptionSet, Equatable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let fin = Flags(rawValue: 0x01)
        public static let syn = Flags(rawValue: 0x02)
        public static let rst = Flags(rawValue: 0x04)
        public static let psh = Flags(rawValue: 0x08)
        public static let ack = Flags(rawValue: 0x10)
        public static let urg = Flags(rawValue: 0x20)
    }

    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when the header does not fit or the checksum fails.
    public init?(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) {
        guard bytes.count >= Self.minimumHeaderLength else { return nil }
        let headerLength = Int(bytes.byte(at: Offset.dataOffset) >> 4) * 4
        guard headerLength >= Self.minimumHeaderLength, headerLength <= bytes.count else { return nil }
        var checksum = InternetChecksum.pseudoHeader(
            source: source, destination: destination, protocol: IPv4Packet.ProtocolNumber.tcp, length: bytes.count)
        checksum.add(bytes)
        guard checksum.value == 0 else { return nil }
        self.bytes = bytes
    }

    public var sourcePort: UInt16 { bytes.uint16(at: Offset.sourcePort) }
    public var destinationPort: UInt16 { bytes.uint16(at: Offset.destinationPort) }
    public var sequenceNumber: SequenceNumber { SequenceNumber(bytes.uint32(at: Offset.sequenceNumber)) }
    public var acknowledgmentNumber: SequenceNumber { SequenceNumber(bytes.uint32(at: Offset.acknowledgmentNumber)) }
    public var headerLength: Int { Int(bytes.byte(at: Offset.dataOffset) >> 4) * 4 }
    public var flags: Flags { Flags(rawValue: bytes.byte(at: Offset.flags) & 0x3f) }
    public var window: UInt16 { bytes.uint16(at: Offset.window) }
    public var options: ArraySlice<UInt8> { bytes[(bytes.startIndex + Offset.options)..<(bytes.startIndex + headerLength)] }
    public var payload: ArraySlice<UInt8> { bytes.dropping(headerLength) }

    /// The sequence space the segment occupies: its data, plus one each for SYN and FIN.
    public var sequenceLength: UInt32 {
        UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// The maximum segment size option (kind 2) if present. Malformed options end the scan.
    public var maximumSegmentSize: UInt16? {
        let options = self.options
        var index = options.startIndex
        while index < options.endIndex {
            let kind = options[index]
            if kind == 0 { return nil }
            if kind == 1 {
                index += 1
                continue
            }
            guard index + 1 < options.endIndex else { return nil }
            let length = Int(options[index + 1])
            guard length >= 2, index + length <= options.endIndex else { return nil }
            if kind == 2 && length == 4 { return UInt16(options[index + 2]) << 8 | UInt16(options[index + 3]) }
            index += length
        }
        return nil
    }

    /// A complete segment with its checksum. `maximumSegmentSize` adds the MSS option (SYNs).
    public static func make(
        source: IPEndpoint, destination: IPEndpoint, sequenceNumber: SequenceNumber,
        acknowledgmentNumber: SequenceNumber, flags: Flags, window: UInt16,
        maximumSegmentSize: UInt16? = nil, payload: ArraySlice<UInt8> = []
    ) -> [UInt8] {
        let headerLength = minimumHeaderLength + (maximumSegmentSize == nil ? 0 : 4)
        var segment: [UInt8] = []
        segment.reserveCapacity(headerLength + payload.count)
        segment.appendUInt16(source.port)
        segment.appendUInt16(destination.port)
        segment.appendUInt32(sequenceNumber.value)
        segment.appendUInt32(acknowledgmentNumber.value)
        segment.append(UInt8(headerLength / 4) << 4)
        segment.append(flags.rawValue)
        segment.appendUInt16(window)
        segment.appendUInt32(0) // checksum and urgent pointer
        if let maximumSegmentSize {
            segment.append(2)
            segment.append(4)
            segment.appendUInt16(maximumSegmentSize)
        }
        segment.append(contentsOf: payload)
        var checksum = InternetChecksum.pseudoHeader(
            source: source.address, destination: destination.address, protocol: IPv4Packet.ProtocolNumber.tcp,
            length: segment.count)
        checksum.add(segment)
        segment.setUInt16(checksum.value, at: Offset.checksum)
        return segment
    }
}

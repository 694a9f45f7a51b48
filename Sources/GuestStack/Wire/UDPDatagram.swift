/// A UDP datagram (RFC 768) viewed in place.
public struct UDPDatagram {
    enum Offset {
        static let sourcePort = 0
        static let destinationPort = 2
        static let length = 4
        static let checksum = 6
    }

    public static let headerLength = 8

    /// The datagram cut to its length field.
    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when the length field does not fit or the checksum fails. Over IPv4 a zero
    /// checksum means none was computed; over IPv6 the checksum is mandatory (RFC 8200, 8.1).
    public init?(_ bytes: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress) {
        guard bytes.count >= Self.headerLength else { return nil }
        let length = Int(bytes.uint16(at: Offset.length))
        guard length >= Self.headerLength, length <= bytes.count else { return nil }
        let datagram = bytes.prefix(length)
        if case .v6 = source, datagram.uint16(at: Offset.checksum) == 0 { return nil }
        if datagram.uint16(at: Offset.checksum) != 0 {
            var checksum = InternetChecksum.pseudoHeader(
                source: source, destination: destination, protocol: IPv4Packet.ProtocolNumber.udp, length: length)
            checksum.add(datagram)
            guard checksum.value == 0 else { return nil }
        }
        self.bytes = datagram
    }

    public var sourcePort: UInt16 { bytes.uint16(at: Offset.sourcePort) }
    public var destinationPort: UInt16 { bytes.uint16(at: Offset.destinationPort) }
    public var payload: ArraySlice<UInt8> { bytes.dropping(Self.headerLength) }

    /// A complete datagram, header and payload, with its checksum.
    public static func make(
        source: IPEndpoint, destination: IPEndpoint, payload: ArraySlice<UInt8>
    ) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(headerLength + payload.count)
        datagram.appendUInt16(source.port)
        datagram.appendUInt16(destination.port)
        datagram.appendUInt16(UInt16(truncatingIfNeeded: headerLength + payload.count))
        datagram.appendUInt16(0)
        datagram.append(contentsOf: payload)
        var checksum = InternetChecksum.pseudoHeader(
            source: source.address, destination: destination.address, protocol: IPv4Packet.ProtocolNumber.udp,
            length: datagram.count)
        checksum.add(datagram)
        let value = checksum.value
        // A computed 0 is sent as all ones: 0 means "no checksum" in UDP.
        datagram.setUInt16(value == 0 ? 0xffff : value, at: Offset.checksum)
        return datagram
    }
}

/// An ICMPv6 message (RFC 4443) viewed in place, checksum verified against the IPv6
/// pseudo-header; the stack answers echo requests and speaks neighbor discovery (RFC 4861).
public struct ICMPv6Message {
    enum Offset {
        static let type = 0
        static let code = 1
        static let checksum = 2
        static let body = 4
    }

    public static let headerLength = 4

    /// Message types.
    public enum MessageType {
        public static let echoRequest: UInt8 = 128
        public static let echoReply: UInt8 = 129
        public static let neighborSolicitation: UInt8 = 135
        public static let neighborAdvertisement: UInt8 = 136
    }

    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when `bytes` are too short or fail the checksum.
    public init?(_ bytes: ArraySlice<UInt8>, source: IPv6Address, destination: IPv6Address) {
        guard bytes.count >= Self.headerLength else { return nil }
        var checksum = InternetChecksum.pseudoHeader(
            source: .v6(source), destination: .v6(destination), protocol: IPv6Packet.NextHeader.icmpv6, length: bytes.count)
        checksum.add(bytes)
        guard checksum.value == 0 else { return nil }
        self.bytes = bytes
    }

    public var type: UInt8 { bytes.byte(at: Offset.type) }
    public var code: UInt8 { bytes.byte(at: Offset.code) }
    /// Everything after type, code and checksum.
    public var body: ArraySlice<UInt8> { bytes.dropping(Offset.body) }

    /// A complete message with its checksum, from `source` to `destination`.
    public static func make(
        type: UInt8, code: UInt8 = 0, body: ArraySlice<UInt8>, source: IPv6Address, destination: IPv6Address
    ) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(headerLength + body.count)
        message.append(type)
        message.append(code)
        message.appendUInt16(0)
        message.append(contentsOf: body)
        var checksum = InternetChecksum.pseudoHeader(
            source: .v6(source), destination: .v6(destination), protocol: IPv6Packet.NextHeader.icmpv6,
            length: message.count)
        checksum.add(message)
        message.setUInt16(checksum.value, at: Offset.checksum)
        return message
    }
}

/// An ICMP message (RFC 792) viewed in place; the stack answers echo requests.
public struct ICMPMessage {
    enum Offset {
        static let type = 0
        static let code = 1
        static let checksum = 2
        static let rest = 4
    }

    public static let headerLength = 8

    /// Message types.
    public enum MessageType {
        public static let echoReply: UInt8 = 0
        public static let echoRequest: UInt8 = 8
    }

    public let bytes: ArraySlice<UInt8>

    /// A view, or nil when `bytes` are too short or fail the checksum.
    public init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Self.headerLength, InternetChecksum.of(bytes) == 0 else { return nil }
        self.bytes = bytes
    }

    public var type: UInt8 { bytes.byte(at: Offset.type) }
    public var code: UInt8 { bytes.byte(at: Offset.code) }

    /// The reply to an echo request: the same identifier, sequence number and data, type 0.
    public func echoReply() -> [UInt8] {
        var reply = Array(bytes)
        reply[Offset.type] = MessageType.echoReply
        reply[Offset.code] = 0
        reply.setUInt16(0, at: Offset.checksum)
        reply.setUInt16(InternetChecksum.of(reply[...]), at: Offset.checksum)
        return reply
    }
}

import NIOCore

/// Splits a TCP byte stream into DNS messages: each is preceded by its length as two bytes,
/// big-endian (RFC 1035 section 4.2.2, RFC 7766 section 8). Frames may arrive split or several
/// at once. A frame longer than `maxMessageSize` is an error, which closes the connection.
struct DNSTCPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// The longest query accepted; queries are small, so anything much larger is hostile.
    let maxMessageSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard Int(length) <= maxMessageSize else {
            throw DNSTCPError.messageTooLarge(length: Int(length), limit: maxMessageSize)
        }
        guard buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A partial frame left at EOF carries no complete query: drop it.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// `bytes` framed for sending: the two-byte length, then the message.
    ///
    /// - Precondition: at most 65535 bytes, which TCP responses are truncated to.
    static func frame(_ bytes: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        precondition(bytes.count <= Int(UInt16.max), "DNS message of \(bytes.count) bytes cannot be framed")
        var buffer = allocator.buffer(capacity: bytes.count + 2)
        buffer.writeInteger(UInt16(bytes.count))
        buffer.writeBytes(bytes)
        return buffer
    }
}

/// Why a DNS TCP connection was closed by us.
enum DNSTCPError: Error, Equatable, CustomStringConvertible {
    /// A frame announced more bytes than a query may have.
    case messageTooLarge(length: Int, limit: Int)

    var description: String {
        switch self {
        case .messageTooLarge(let length, let limit):
            "DNS message of \(length) bytes over TCP exceeds the \(limit)-byte limit; connection closed"
        }
    }
}

/// The transport a query came in on, which bounds the size of its response.
public enum DNSTransport: Sendable, Equatable {
    /// UDP: the client's EDNS payload size, or 512 bytes without EDNS (RFC 1035, RFC 6891).
    case udp
    /// TCP: the 16-bit length prefix allows 65535 bytes (RFC 7766).
    case tcp
}

/// A response ready to send, with what the transport needs to know about the query.
public struct DNSResponse: Sendable, Equatable {
    /// The UDP payload size we advertise in OPT and never exceed over UDP (RFC 6891; 1232 is
    /// DNS flag day 2020's value). Here, outside the generic responder, reading it needs no
    /// generic metadata on the per-query path.
    public static let ourUDPPayloadSize: UInt16 = 1232

    /// The whole response, before any truncation.
    public var message: DNSMessage
    /// The UDP payload size the query's OPT record announced (at least 512), or nil without
    /// EDNS or when the query did not parse. Only this of the query is kept: responses are
    /// copied on the hot path, and the whole query would double the cost.
    public var clientUDPPayloadSize: Int?

    /// Creates a response to `query` (nil for a FORMERR answer to a packet that did not parse).
    public init(message: DNSMessage, query: DNSMessage?) {
        self.message = message
        self.clientUDPPayloadSize = query?.edns?.effectiveUDPPayloadSize
    }

    /// The largest response the client accepts on `transport`, capped at what we advertise.
    public func sizeLimit(on transport: DNSTransport, ourPayloadSize: UInt16 = DNSResponse.ourUDPPayloadSize) -> Int {
        switch transport {
        case .tcp:
            return Int(UInt16.max)
        case .udp:
            let client = clientUDPPayloadSize ?? 512
            return max(512, min(client, Int(ourPayloadSize)))
        }
    }

    /// The wire bytes for `transport`: truncated with TC=1 if the message does not fit.
    public func bytes(for transport: DNSTransport, ourPayloadSize: UInt16 = DNSResponse.ourUDPPayloadSize) -> [UInt8] {
        message.serialized(maxSize: sizeLimit(on: transport, ourPayloadSize: ourPayloadSize))
    }
}

/// A TCP segment ready for IPv4: where it goes and its bytes, checksum included.
public struct OutgoingSegment {
    public var destination: IPv4Address
    public var bytes: [UInt8]
}

/// All of the stack's TCP: listeners, connections, and the segments waiting to go out.
public struct TCPEndpoint {
    /// Resource bounds, so no peer can make the guest allocate without limit.
    public struct Limits {
        /// Connections in any state, TIME_WAIT included.
        public var maximumConnections = 256
        /// Half-open (SYN_RECEIVED) connections per listener: a SYN flood stops here.
        public var synBacklog = 64
        /// Established connections the application has not accepted yet, per listener.
        public var acceptBacklog = 64
        /// Receive buffer per connection; the advertised window never exceeds it.
        public var receiveBufferSize = 16384
        /// Send buffer per connection.
        public var sendBufferSize = 65536
        /// The MSS this side announces and the largest segment it sends.
        public var maximumSegmentSize = 1460
        public init() {}
    }

    public let localAddress: IPv4Address
    public let limits: Limits
    var outgoing: [OutgoingSegment] = []

    public init(localAddress: IPv4Address, limits: Limits = Limits()) {
        self.localAddress = localAddress
        self.limits = limits
    }

    /// Handles one incoming segment addressed to this host.
    public mutating func handle(_ segment: TCPSegment, from source: IPv4Address, now: UInt64) {
        sendReset(replyingTo: segment, from: source)
    }

    /// Runs retransmission and TIME_WAIT timers due at `now`.
    public mutating func runTimers(now: UInt64) {}

    /// When `runTimers` next has work, or nil.
    public var nextDeadline: UInt64? { nil }

    /// The next segment to send, oldest first.
    public mutating func takeOutgoing() -> OutgoingSegment? {
        outgoing.isEmpty ? nil : outgoing.removeFirst()
    }

    /// RFC 9293, section 3.10.7.1: the reset a closed port answers with. Never answers a reset.
    mutating func sendReset(replyingTo segment: TCPSegment, from source: IPv4Address) {
        let flags = segment.flags
        guard !flags.contains(.rst) else { return }
        let local = IPv4Endpoint(address: localAddress, port: segment.destinationPort)
        let remote = IPv4Endpoint(address: source, port: segment.sourcePort)
        let bytes: [UInt8]
        if flags.contains(.ack) {
            bytes = TCPSegment.make(
                source: local, destination: remote, sequenceNumber: segment.acknowledgmentNumber,
                acknowledgmentNumber: SequenceNumber(0), flags: .rst, window: 0)
        } else {
            bytes = TCPSegment.make(
                source: local, destination: remote, sequenceNumber: SequenceNumber(0),
                acknowledgmentNumber: segment.sequenceNumber + segment.sequenceLength, flags: [.rst, .ack], window: 0)
        }
        outgoing.append(OutgoingSegment(destination: source, bytes: bytes))
    }
}

/// A TCP segment ready for IP: its addresses and its bytes, checksum included.
public struct OutgoingSegment {
    public var source: IPAddress
    public var destination: IPAddress
    public var bytes: [UInt8]
}

/// All of the stack's TCP: listeners, a fixed table of connections, and the segments waiting
/// to go out. Demultiplexes incoming segments, opens connections for SYNs to listening ports
/// within the backlog bounds, and answers everything else with a reset.
public struct TCPEndpoint {
    /// Resource bounds, so no peer can make the guest allocate without limit.
    public struct Limits {
        /// Connections in any state, TIME_WAIT included; when full, the oldest TIME_WAIT goes.
        public var maximumConnections = 256
        /// Half-open (SYN_RECEIVED) connections per listener: a SYN flood stops here.
        public var synBacklog = 64
        /// Established connections the application has not accepted yet, per listener.
        public var acceptBacklog = 128
        /// Receive buffer per connection; the advertised window never exceeds it.
        public var receiveBufferSize = 16384
        /// Send buffer per connection. With the receive buffer, this bounds a connection's
        /// memory: 256 connections x (16 + 16) KiB stays well inside a 32 MiB guest.
        public var sendBufferSize = 16384
        /// The MSS this side announces and the largest segment it sends.
        public var maximumSegmentSize = 1460
        public init() {}
    }

    /// 2 x MSL. Shorter than RFC 9293's 2 x 2 minutes: guests live on one bridge, where a
    /// segment cannot linger for minutes, and slots are precious.
    public static let timeWaitDuration: UInt64 = 10_000_000

    struct Listener {
        var port: UInt16
        var acceptQueue: [TCPConnectionID] = []
    }

    public let limits: Limits
    var connections: [TCPConnection?]
    var generations: [UInt32]
    var listeners: [Listener] = []
    var outgoing: [OutgoingSegment] = []
    var sequenceSeed: UInt64 = 0x9e37_79b9_7f4a_7c15

    public init(limits: Limits = Limits()) {
        self.limits = limits
        // The table grows on demand up to its bound: filling 256 empty slots of a few hundred
        // bytes each up front was most of the guest's boot work.
        connections = []
        generations = []
    }

    /// Handles one incoming segment addressed to this host at `destination`.
    public mutating func handle(_ segment: TCPSegment, from source: IPAddress, to destination: IPAddress, now: UInt64) {
        let local = IPEndpoint(address: destination, port: segment.destinationPort)
        let remote = IPEndpoint(address: source, port: segment.sourcePort)
        if let slot = slot(remote: remote, local: local),
            !endsTimeWait(slot, segment)
        {
            let wasSynReceived = connections[slot]!.state == .synReceived
            connections[slot]!.handle(segment, now: now, output: &outgoing)
            if wasSynReceived, connections[slot]!.state != .synReceived, connections[slot]!.state != .closed {
                enqueueForAccept(slot)
            }
            // Acknowledgments wait for `flush`, after the application had its turn.
            releaseIfDone(slot)
            return
        }
        let flags = segment.flags
        guard flags.contains(.syn), !flags.contains(.ack), !flags.contains(.rst),
            let listener = listenerIndex(segment.destinationPort)
        else { return sendReset(replyingTo: segment, from: remote, to: local) }
        guard halfOpenCount(port: segment.destinationPort) < limits.synBacklog,
            pendingAcceptCount(listener) < limits.acceptBacklog,
            let slot = freeSlot()
        else { return }  // dropped: the peer retries, as with a full backlog anywhere
        var connectionLimits = limits
        if case .v6 = destination { connectionLimits.maximumSegmentSize -= IPv6Packet.headerLength - IPv4Packet.minimumHeaderLength }
        var connection = TCPConnection(
            local: local, remote: remote, syn: segment, initialSendSequence: nextInitialSequence(now: now),
            limits: connectionLimits)
        connection.emit(now: now, output: &outgoing)
        connections[slot] = connection
        generations[slot] &+= 1
    }

    /// RFC 6191: a new SYN for a connection in TIME_WAIT, above everything it received, may
    /// start a new connection at once. Frees the slot and says so.
    mutating func endsTimeWait(_ slot: Int, _ segment: TCPSegment) -> Bool {
        guard let connection = connections[slot], connection.state == .timeWait,
            segment.flags.contains(.syn), !segment.flags.contains(.ack), segment.sequenceNumber > connection.receiveNext
        else { return false }
        connections[slot] = nil
        return true
    }

    /// Runs retransmission and TIME_WAIT timers due at `now`.
    public mutating func runTimers(now: UInt64) {
        for slot in connections.indices where connections[slot] != nil {
            guard let deadline = connections[slot]!.nextDeadline, deadline <= now else { continue }
            connections[slot]!.runTimers(now: now, output: &outgoing)
            releaseIfDone(slot)
        }
    }

    /// Sends what connections have to send (data the application queued, acknowledgments).
    public mutating func flush(now: UInt64) {
        for slot in connections.indices where connections[slot] != nil {
            connections[slot]!.emit(now: now, output: &outgoing)
        }
    }

    /// When `runTimers` next has work, or nil.
    public var nextDeadline: UInt64? {
        var earliest: UInt64? = nil
        for connection in connections {
            guard let deadline = connection?.nextDeadline else { continue }
            if earliest == nil || deadline < earliest! { earliest = deadline }
        }
        return earliest
    }

    /// The next segment to send, oldest first.
    public mutating func takeOutgoing() -> OutgoingSegment? {
        outgoing.isEmpty ? nil : outgoing.removeFirst()
    }

    /// Connections in use, in any state.
    public var connectionCount: Int { connections.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Connections that still carry or may carry data: not closed and not in TIME_WAIT (a guest
    /// that stops waits for these, not for the quiet ones).
    public var openConnectionCount: Int {
        connections.reduce(0) { count, connection in
            guard let connection, connection.state != .closed, connection.state != .timeWait else { return count }
            return count + 1
        }
    }

    func slot(remote: IPEndpoint, local: IPEndpoint) -> Int? {
        for index in connections.indices {
            if let connection = connections[index], connection.remote == remote, connection.local == local {
                return index
            }
        }
        return nil
    }

    func listenerIndex(_ port: UInt16) -> Int? { listeners.firstIndex { $0.port == port } }

    func halfOpenCount(port: UInt16) -> Int {
        connections.reduce(0) { $0 + ($1?.state == .synReceived && $1?.local.port == port ? 1 : 0) }
    }

    func pendingAcceptCount(_ listener: Int) -> Int { listeners[listener].acceptQueue.count }

    /// A free slot, a new one while under the bound, else the one whose TIME_WAIT ends first.
    mutating func freeSlot() -> Int? {
        if let free = connections.firstIndex(where: { $0 == nil }) { return free }
        if connections.count < limits.maximumConnections {
            connections.append(nil)
            generations.append(0)
            return connections.count - 1
        }
        var oldest: Int? = nil
        for index in connections.indices where connections[index]?.state == .timeWait {
            if oldest == nil || connections[index]!.timeWaitUntil! < connections[oldest!]!.timeWaitUntil! { oldest = index }
        }
        if let oldest { connections[oldest] = nil }
        return oldest
    }

    mutating func enqueueForAccept(_ slot: Int) {
        guard let listener = listenerIndex(connections[slot]!.local.port) else { return }
        connections[slot]!.awaitingAccept = true
        listeners[listener].acceptQueue.append(TCPConnectionID(slot: slot, generation: generations[slot]))
    }

    /// Frees a closed connection nobody holds: released by the application, or never accepted.
    mutating func releaseIfDone(_ slot: Int) {
        guard let connection = connections[slot], connection.state == .closed else { return }
        guard connection.applicationReleased || !connection.wasAccepted else { return }
        if connection.awaitingAccept, let listener = listenerIndex(connection.local.port) {
            listeners[listener].acceptQueue.removeAll { $0.slot == slot }
        }
        connections[slot] = nil
    }

    /// RFC 6528 in spirit: unpredictable to others, different per connection. xorshift64*
    /// seeded by the clock; not cryptographic.
    mutating func nextInitialSequence(now: UInt64) -> SequenceNumber {
        sequenceSeed ^= now &* 0x2545_f491_4f6c_dd1d
        sequenceSeed ^= sequenceSeed >> 12
        sequenceSeed ^= sequenceSeed << 25
        sequenceSeed ^= sequenceSeed >> 27
        return SequenceNumber(UInt32(truncatingIfNeeded: (sequenceSeed &* 0x2545_f491_4f6c_dd1d) >> 32))
    }

    /// RFC 9293, 3.10.7.1: the reset a closed port answers with. Never answers a reset.
    mutating func sendReset(replyingTo segment: TCPSegment, from remote: IPEndpoint, to local: IPEndpoint) {
        let flags = segment.flags
        guard !flags.contains(.rst) else { return }
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
        outgoing.append(OutgoingSegment(source: local.address, destination: remote.address, bytes: bytes))
    }
}

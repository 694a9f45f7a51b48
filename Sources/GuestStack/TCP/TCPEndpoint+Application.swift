/// A connection as the application holds it: a slot and the generation that slot had when
/// the connection was made, so a stale handle never reaches a newer connection in the same slot.
public struct TCPConnectionID: Equatable, Sendable {
    let slot: Int
    let generation: UInt32
}

/// The application's side of TCP: listen, accept, read, write, close.
extension TCPEndpoint {
    /// Accepts connections to `port` from now on.
    public mutating func listen(on port: UInt16) {
        if listenerIndex(port) == nil { listeners.append(Listener(port: port)) }
    }

    /// The oldest established connection on `port` the application has not taken yet.
    public mutating func accept(on port: UInt16) -> TCPConnectionID? {
        guard let listener = listenerIndex(port), !listeners[listener].acceptQueue.isEmpty else { return nil }
        let id = listeners[listener].acceptQueue.removeFirst()
        guard isCurrent(id) else { return nil }
        connections[id.slot]!.awaitingAccept = false
        connections[id.slot]!.wasAccepted = true
        return id
    }

    func isCurrent(_ id: TCPConnectionID) -> Bool {
        id.slot < connections.count && generations[id.slot] == id.generation && connections[id.slot] != nil
    }

    /// Takes up to `maximum` received bytes, in order; empty when none are waiting.
    public mutating func read(_ id: TCPConnectionID, maximum: Int = Int.max) -> [UInt8] {
        guard isCurrent(id), !connections[id.slot]!.receiveBuffer.isEmpty else { return [] }
        let count = min(maximum, connections[id.slot]!.receiveBuffer.count)
        let bytes = Array(connections[id.slot]!.receiveBuffer.prefix(count))
        connections[id.slot]!.receiveBuffer.removeFirst(count)
        // Tell the peer about the room once it is worth a segment (avoids silly windows).
        let connection = connections[id.slot]!
        if connection.receiveWindow >= connection.advertisedWindow + UInt32(connection.maximumSegmentSize)
            || connection.advertisedWindow == 0
        {
            connections[id.slot]!.acknowledgmentPending = true
        }
        return bytes
    }

    /// Queues bytes to send; returns how many fit in the send buffer (0 once the connection
    /// can no longer send). They go out on the next `flush`.
    @discardableResult
    public mutating func write(_ id: TCPConnectionID, _ bytes: ArraySlice<UInt8>) -> Int {
        guard isCurrent(id), connections[id.slot]!.state.acceptsApplicationData, !connections[id.slot]!.finQueued else {
            return 0
        }
        let room = limits.sendBufferSize - connections[id.slot]!.sendBuffer.count
        let count = min(room, bytes.count)
        connections[id.slot]!.sendBuffer.append(contentsOf: bytes.prefix(count))
        return count
    }

    /// Sends FIN after the queued data and lets go of the connection: later data from the peer
    /// is acknowledged and discarded; the slot is freed once the closing handshake ends.
    public mutating func close(_ id: TCPConnectionID) {
        guard isCurrent(id) else { return }
        connections[id.slot]!.finQueued = true
        connections[id.slot]!.applicationReleased = true
        releaseIfDone(id.slot)
    }

    /// Aborts: sends a reset and frees the connection at once.
    public mutating func abort(_ id: TCPConnectionID) {
        guard isCurrent(id) else { return }
        let connection = connections[id.slot]!
        if connection.state != .closed && connection.state != .timeWait {
            outgoing.append(connection.resetSegment(sequence: connection.sendMaximum))
        }
        connections[id.slot] = nil
    }

    /// What the application can learn about a connection.
    public struct ConnectionStatus: Equatable, Sendable {
        /// The peer sent FIN and every byte before it has been read.
        public var peerClosed: Bool
        /// The connection is over: closed normally or reset; nothing more will arrive or leave.
        public var isClosed: Bool
        /// Bytes the send buffer can still take.
        public var sendSpace: Int
        /// Bytes sent or queued and not yet acknowledged.
        public var unacknowledged: Int
        public var state: TCPState
    }

    /// The status of `id`; a stale handle reads as closed.
    public func status(_ id: TCPConnectionID) -> ConnectionStatus {
        guard isCurrent(id) else {
            return ConnectionStatus(peerClosed: true, isClosed: true, sendSpace: 0, unacknowledged: 0, state: .closed)
        }
        let connection = connections[id.slot]!
        return ConnectionStatus(
            peerClosed: connection.finReceived && connection.receiveBuffer.isEmpty,
            isClosed: connection.state == .closed,
            sendSpace: connection.state.acceptsApplicationData ? limits.sendBufferSize - connection.sendBuffer.count : 0,
            unacknowledged: connection.sendBuffer.count, state: connection.state)
    }
}

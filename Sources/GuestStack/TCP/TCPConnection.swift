/// One TCP connection's state machine (RFC 9293), passive side. Value type, no clock inside:
/// every entry point takes `now` (microseconds) and queues what it wants sent into `output`,
/// so the endpoint owns I/O and tests drive it with a virtual clock.
///
/// This file holds the state and the receive path; TCPConnection+Send.swift sends and runs timers.
struct TCPConnection {
    let local: IPv4Endpoint
    let remote: IPv4Endpoint
    var state: TCPState = .synReceived

    // Send side: sendBuffer holds the bytes from sendBase on, unacknowledged then unsent.
    let initialSendSequence: SequenceNumber
    var sendUnacknowledged: SequenceNumber
    var sendNext: SequenceNumber
    /// The highest sequence number sent so far: after a timeout sendNext goes back, this does
    /// not, so acknowledgments of data sent before the timeout are still valid.
    var sendMaximum: SequenceNumber
    var sendBase: SequenceNumber
    var sendBuffer: [UInt8] = []
    var sendWindow: UInt32 = 0
    var windowUpdateSequence: SequenceNumber
    var windowUpdateAcknowledgment: SequenceNumber
    var maximumSegmentSize: Int
    /// What this side announces in its SYN-ACK: the largest segment it accepts.
    let announcedSegmentSize: Int
    var congestionWindow: Int
    var slowStartThreshold = 65535
    var duplicateAcknowledgments = 0
    /// The application closed: send FIN after the buffer.
    var finQueued = false
    var finSent = false

    // Receive side.
    var receiveNext: SequenceNumber
    var receiveBuffer: [UInt8] = []
    let receiveCapacity: Int
    var reassembly = TCPReassemblyQueue()
    var finReceived = false
    var acknowledgmentPending = false
    var advertisedWindow: UInt32 = 0

    // Timers.
    var retransmission = RetransmissionTimer()
    var retransmitAt: UInt64? = nil
    var retries = 0
    var roundTripProbe: (sequence: SequenceNumber, sentAt: UInt64)? = nil
    var timeWaitUntil: UInt64? = nil
    /// Set when the connection ended by a reset or by giving up, not by the closing handshake.
    var wasReset = false
    /// The application closed its handle; the endpoint frees the slot once the connection is closed.
    var applicationReleased = false
    /// Counted in the listener's accept queue and not yet taken by the application.
    var awaitingAccept = false
    /// The application took the connection from the accept queue (and holds it until `close`).
    var wasAccepted = false

    /// A connection for a SYN just received; the caller sends the SYN-ACK (`emit`).
    init(
        local: IPv4Endpoint, remote: IPv4Endpoint, syn: TCPSegment, initialSendSequence: SequenceNumber,
        limits: TCPEndpoint.Limits
    ) {
        self.local = local
        self.remote = remote
        self.initialSendSequence = initialSendSequence
        sendUnacknowledged = initialSendSequence
        sendNext = initialSendSequence
        sendMaximum = initialSendSequence
        sendBase = initialSendSequence + 1
        receiveNext = syn.sequenceNumber + 1
        windowUpdateSequence = syn.sequenceNumber
        windowUpdateAcknowledgment = initialSendSequence
        sendWindow = UInt32(syn.window)
        maximumSegmentSize = min(Int(syn.maximumSegmentSize ?? 536), limits.maximumSegmentSize)
        announcedSegmentSize = limits.maximumSegmentSize
        congestionWindow = 10 * maximumSegmentSize  // RFC 6928's initial window
        receiveCapacity = min(limits.receiveBufferSize, 65535)
        // Exact capacities, so appends never double a buffer past its bound.
        receiveBuffer.reserveCapacity(receiveCapacity)
        sendBuffer.reserveCapacity(limits.sendBufferSize)
    }

    var receiveWindow: UInt32 { UInt32(max(0, receiveCapacity - receiveBuffer.count)) }

    /// RFC 9293, 3.10.7.4, first check: does the segment overlap the receive window?
    func isAcceptable(_ segment: TCPSegment) -> Bool {
        let length = segment.sequenceLength
        let window = receiveWindow
        let start = segment.sequenceNumber
        if length == 0 {
            return window == 0 ? start == receiveNext : start.isWithin(receiveNext, length: window)
        }
        guard window > 0 else { return false }
        return start.isWithin(receiveNext, length: window) || (start + (length - 1)).isWithin(receiveNext, length: window)
    }

    /// Processes one segment for this connection.
    mutating func handle(_ segment: TCPSegment, now: UInt64, output: inout [OutgoingSegment]) {
        let flags = segment.flags
        if state == .synReceived, flags.contains(.syn), !flags.contains(.ack),
            segment.sequenceNumber + 1 == receiveNext
        {
            sendNext = initialSendSequence  // the peer lost our SYN-ACK: send it again
            emit(now: now, output: &output)
            return
        }
        guard isAcceptable(segment) else {
            if !flags.contains(.rst) { acknowledgmentPending = true }
            return
        }
        if flags.contains(.rst) {
            // RFC 5961, 3.2: only an exact match resets; a reset elsewhere in the window is challenged.
            if segment.sequenceNumber == receiveNext { enterClosed(reset: true) } else { acknowledgmentPending = true }
            return
        }
        if flags.contains(.syn) {
            acknowledgmentPending = true  // RFC 5961, 4.2: challenge ACK, the SYN is dropped
            return
        }
        guard flags.contains(.ack) else { return }
        guard processAcknowledgment(segment, now: now, output: &output) else { return }
        if state.receivesData { receive(segment) }
        if state == .timeWait, flags.contains(.fin) {
            acknowledgmentPending = true  // the peer lost our ACK of its FIN
            timeWaitUntil = Self.timeWaitDeadline(now: now)
        }
        if finReceived, state.receivesData { enterFinalReceiveState(now: now) }
    }

    /// Updates the send side from the segment's acknowledgment; false when the segment must be dropped.
    mutating func processAcknowledgment(_ segment: TCPSegment, now: UInt64, output: inout [OutgoingSegment]) -> Bool {
        let ack = segment.acknowledgmentNumber
        if state == .synReceived {
            guard ack > sendUnacknowledged, ack <= sendMaximum else {
                output.append(resetSegment(sequence: ack))
                return false
            }
            state = .established
        }
        if ack > sendMaximum {
            acknowledgmentPending = true  // acknowledges what was never sent
            return false
        }
        if ack > sendUnacknowledged {
            acknowledge(upTo: ack, now: now)
        } else if ack == sendUnacknowledged, segment.payload.isEmpty, sendNext != sendUnacknowledged,
            UInt32(segment.window) == sendWindow
        {
            duplicateAcknowledgments += 1
            if duplicateAcknowledgments == 3 { fastRetransmit(now: now, output: &output) }
        }
        if windowUpdateSequence < segment.sequenceNumber
            || (windowUpdateSequence == segment.sequenceNumber && windowUpdateAcknowledgment <= ack)
        {
            sendWindow = UInt32(segment.window)
            windowUpdateSequence = segment.sequenceNumber
            windowUpdateAcknowledgment = ack
        }
        let finAcknowledged = finSent && sendUnacknowledged == sendBase + UInt32(sendBuffer.count) + 1
        if finAcknowledged {
            switch state {
            case .finWait1: state = .finWait2
            case .closing: enterTimeWait(now: now)
            case .lastAck: enterClosed(reset: false)
            default: break
            }
        }
        return state != .closed
    }

    /// Takes in-window data and a FIN, in order, holding early arrivals for reassembly.
    mutating func receive(_ segment: TCPSegment) {
        let payload = segment.payload
        let fin = segment.flags.contains(.fin)
        guard !payload.isEmpty || fin else { return }
        acknowledgmentPending = true
        var start = segment.sequenceNumber
        var bytes = payload
        if start < receiveNext {
            let skip = Int(receiveNext - start)  // already received: keep only the new tail
            guard skip <= bytes.count else { return }
            bytes = bytes.dropFirst(skip)
            start = receiveNext
        }
        let room = Int(receiveWindow)
        let fits = bytes.count <= room
        if bytes.count > room { bytes = bytes.prefix(room) }
        if start != receiveNext {
            reassembly.insert(.init(sequence: start, bytes: Array(bytes), fin: fin && fits), byteLimit: receiveCapacity)
            return
        }
        accept(bytes, fin: fin && fits)
        while !finReceived, let piece = reassembly.takeContinuing(from: receiveNext) {
            let limited = piece.bytes.prefix(Int(receiveWindow))
            accept(limited, fin: piece.fin && limited.count == piece.bytes.count)
        }
    }

    mutating func accept(_ bytes: ArraySlice<UInt8>, fin: Bool) {
        // After the application let go of the connection nobody reads: take the data, drop it.
        if !applicationReleased { receiveBuffer.append(contentsOf: bytes) }
        receiveNext += UInt32(bytes.count)
        if fin {
            receiveNext += 1
            finReceived = true
        }
    }

    /// The peer's FIN is in: RFC 9293, 3.10.7.4, eighth step.
    mutating func enterFinalReceiveState(now: UInt64) {
        switch state {
        case .established: state = .closeWait
        case .finWait1: state = .closing
        case .finWait2: enterTimeWait(now: now)
        default: break
        }
    }

    mutating func enterTimeWait(now: UInt64) {
        state = .timeWait
        releaseBuffers()
        retransmitAt = nil
        timeWaitUntil = Self.timeWaitDeadline(now: now)
    }

    /// The end of TIME_WAIT, rounded up to a whole second so that many connections closing
    /// together expire in one wakeup rather than one each.
    static func timeWaitDeadline(now: UInt64) -> UInt64 {
        let exact = now + TCPEndpoint.timeWaitDuration
        return (exact + 999_999) / 1_000_000 * 1_000_000
    }

    /// TIME_WAIT and a released closed connection need no buffers; slots can linger, memory need not.
    mutating func releaseBuffers() {
        sendBuffer = []
        receiveBuffer = []
        reassembly = TCPReassemblyQueue()
    }

    mutating func enterClosed(reset: Bool) {
        state = .closed
        if applicationReleased { releaseBuffers() }
        wasReset = reset
        retransmitAt = nil
        timeWaitUntil = nil
        acknowledgmentPending = false
    }
}

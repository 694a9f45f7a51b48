/// The receive path: RFC 9293, section 3.10.7.4, for the states after SYN_RECEIVED.
extension TCPConnection {
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
        if state.receivesData { receive(segment, now: now) }
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

    /// Takes in-window data and a FIN, in order, holding early arrivals for reassembly, and
    /// decides when to acknowledge: in-order data may wait (`delayedAcknowledgmentAt`), anything
    /// else is acknowledged at once.
    mutating func receive(_ segment: TCPSegment, now: UInt64) {
        let payload = segment.payload
        let fin = segment.flags.contains(.fin)
        guard !payload.isEmpty || fin else { return }
        let before = receiveNext
        takeData(of: segment)
        segmentsSinceAcknowledgment += 1
        // RFC 5681, 4.2: at least every second segment; at once for out-of-order or duplicate
        // data, for data that fills a gap, and for a FIN. The delay is Linux's shortest.
        let inOrderOnly = segment.sequenceNumber == before && receiveNext == before + UInt32(payload.count) && !finReceived
        if inOrderOnly && segmentsSinceAcknowledgment < 2 && reassembly.isEmpty {
            if delayedAcknowledgmentAt == nil { delayedAcknowledgmentAt = now + Self.acknowledgmentDelay }
        } else {
            acknowledgmentPending = true
        }
    }

    /// How long an acknowledgment of in-order data may wait for company.
    static let acknowledgmentDelay: UInt64 = 40_000

    /// Moves the segment's new bytes (and FIN) into the receive buffer or the reassembly queue.
    mutating func takeData(of segment: TCPSegment) {
        let fin = segment.flags.contains(.fin)
        var bytes = segment.payload
        var start = segment.sequenceNumber
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
}

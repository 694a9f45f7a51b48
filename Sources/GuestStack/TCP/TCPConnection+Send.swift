/// Sending: data within the peer's and the congestion window, FIN, acknowledgments, and the
/// retransmission timer (RFC 6298) with go-back-N on expiry.
extension TCPConnection {
    /// Retransmissions of one segment before the connection is abandoned.
    static let maximumRetries = 8
    static let maximumSynAckRetries = 4

    var inFlight: Int { Int(sendNext - sendUnacknowledged) }
    var finSequence: SequenceNumber { sendBase + UInt32(sendBuffer.count) }

    func segment(
        sequence: SequenceNumber, flags: TCPSegment.Flags, payload: ArraySlice<UInt8> = [], mss: UInt16? = nil
    ) -> OutgoingSegment {
        OutgoingSegment(
            source: local.address, destination: remote.address,
            bytes: TCPSegment.make(
                source: local, destination: remote, sequenceNumber: sequence, acknowledgmentNumber: receiveNext,
                flags: flags, window: UInt16(receiveWindow), maximumSegmentSize: mss, payload: payload))
    }

    func resetSegment(sequence: SequenceNumber) -> OutgoingSegment {
        OutgoingSegment(
            source: local.address, destination: remote.address,
            bytes: TCPSegment.make(
                source: local, destination: remote, sequenceNumber: sequence, acknowledgmentNumber: SequenceNumber(0),
                flags: .rst, window: 0))
    }

    /// Sends what may be sent now: the SYN-ACK, new or resent data, the FIN, else a pending ACK.
    /// `probe` lets one segment out past a closed window (zero-window probe, timeout resend).
    mutating func emit(now: UInt64, output: inout [OutgoingSegment], probe: Bool = false) {
        var sentSomething = false
        if state == .synReceived {
            if sendNext == initialSendSequence {
                output.append(segment(sequence: initialSendSequence, flags: [.syn, .ack], mss: UInt16(announcedSegmentSize)))
                sendNext = initialSendSequence + 1
                if sendMaximum < sendNext { sendMaximum = sendNext }
                sentSomething = true
            }
        } else if state != .closed && state != .timeWait {
            var allowance = probe ? 1 : 0
            while true {
                let offset = Int(sendNext - sendBase)
                let unsent = sendBuffer.count - offset
                let window = min(Int(sendWindow), congestionWindow)
                var room = window - inFlight
                if room <= 0 && allowance > 0 { room = max(room, 1) }
                if unsent > 0 && room > 0 && offset >= 0 {
                    let length = min(unsent, maximumSegmentSize, room)
                    let start = sendBuffer.startIndex + offset
                    let flags: TCPSegment.Flags = length == unsent ? [.ack, .psh] : .ack
                    output.append(segment(sequence: sendNext, flags: flags, payload: sendBuffer[start..<(start + length)]))
                    if roundTripProbe == nil, retries == 0 { roundTripProbe = (sendNext, now) }
                    sendNext += UInt32(length)
                    if sendMaximum < sendNext { sendMaximum = sendNext }
                    sentSomething = true
                    allowance = 0
                    continue
                }
                if finQueued && unsent == 0 && sendNext == finSequence {
                    output.append(segment(sequence: sendNext, flags: [.fin, .ack]))
                    sendNext += 1
                    if sendMaximum < sendNext { sendMaximum = sendNext }
                    finSent = true
                    sentSomething = true
                    if state == .established { state = .finWait1 }
                    if state == .closeWait { state = .lastAck }
                }
                break
            }
        }
        let owed = acknowledgmentPending || (delayedAcknowledgmentAt.map { now >= $0 } ?? false)
        if !sentSomething && owed && state != .closed {
            output.append(segment(sequence: sendNext, flags: .ack))
            sentSomething = true
        }
        if sentSomething {
            acknowledgmentPending = false
            delayedAcknowledgmentAt = nil
            segmentsSinceAcknowledgment = 0
            advertisedWindow = receiveWindow
        }
        if retransmitAt == nil, inFlight > 0 || (sendWindow == 0 && sendBuffer.count > Int(sendNext - sendBase)) {
            retransmitAt = now + retransmission.timeout
        }
    }

    /// The peer acknowledged everything before `ack`.
    mutating func acknowledge(upTo ack: SequenceNumber, now: UInt64) {
        if let probe = roundTripProbe, ack > probe.sequence {
            retransmission = retransmission.sampled(now - probe.sentAt)
            roundTripProbe = nil
        }
        let acknowledged = Int(ack - sendUnacknowledged)
        if ack > sendBase {
            let count = min(Int(ack - sendBase), sendBuffer.count)
            sendBuffer.removeFirst(count)
            sendBase += UInt32(count)
        }
        sendUnacknowledged = ack
        if sendNext < sendUnacknowledged { sendNext = sendUnacknowledged }
        duplicateAcknowledgments = 0
        retries = 0
        // Slow start below the threshold, then about one segment per round trip (RFC 5681).
        if congestionWindow < slowStartThreshold {
            congestionWindow += min(acknowledged, maximumSegmentSize)
        } else {
            congestionWindow += max(1, maximumSegmentSize * maximumSegmentSize / congestionWindow)
        }
        congestionWindow = min(congestionWindow, 1 << 20)
        retransmitAt = inFlight > 0 ? now + retransmission.timeout : nil
    }

    /// Three duplicate ACKs: resend the first unacknowledged segment now (RFC 5681, 3.2).
    mutating func fastRetransmit(now: UInt64, output: inout [OutgoingSegment]) {
        slowStartThreshold = max(inFlight / 2, 2 * maximumSegmentSize)
        congestionWindow = slowStartThreshold
        roundTripProbe = nil
        let offset = Int(sendUnacknowledged - sendBase)
        guard offset >= 0, offset < sendBuffer.count else { return }
        let length = min(sendBuffer.count - offset, maximumSegmentSize)
        let start = sendBuffer.startIndex + offset
        output.append(segment(sequence: sendUnacknowledged, flags: .ack, payload: sendBuffer[start..<(start + length)]))
        retransmitAt = now + retransmission.timeout
    }

    /// Runs the timers due at `now`.
    mutating func runTimers(now: UInt64, output: inout [OutgoingSegment]) {
        if let until = timeWaitUntil, now >= until {
            enterClosed(reset: false)
            return
        }
        if let at = delayedAcknowledgmentAt, now >= at, retransmitAt.map({ now < $0 }) ?? true {
            emit(now: now, output: &output)
            return
        }
        guard let at = retransmitAt, now >= at else { return }
        retransmitAt = nil
        retries += 1
        let limit = state == .synReceived ? Self.maximumSynAckRetries : Self.maximumRetries
        if retries > limit {
            if state != .synReceived { output.append(resetSegment(sequence: sendMaximum)) }
            enterClosed(reset: true)
            return
        }
        retransmission = retransmission.backedOff()
        roundTripProbe = nil  // Karn: no samples across a retransmission
        if inFlight > 0 {
            slowStartThreshold = max(inFlight / 2, 2 * maximumSegmentSize)
            congestionWindow = maximumSegmentSize
        }
        if finSent && sendUnacknowledged <= finSequence { finSent = false }
        sendNext = sendUnacknowledged  // go back: resend from the first unacknowledged byte
        emit(now: now, output: &output, probe: true)
    }

    /// The next time `runTimers` has work, or nil.
    var nextDeadline: UInt64? {
        var earliest = UInt64.max
        if let at = retransmitAt { earliest = min(earliest, at) }
        if let at = timeWaitUntil { earliest = min(earliest, at) }
        if let at = delayedAcknowledgmentAt { earliest = min(earliest, at) }
        return earliest == UInt64.max ? nil : earliest
    }
}

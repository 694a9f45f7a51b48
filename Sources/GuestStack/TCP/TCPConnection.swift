/// One TCP connection's state machine (RFC 9293), passive side. Value type, no clock inside:
/// every entry point takes `now` (microseconds) and queues what it wants sent into `output`,
/// so the endpoint owns I/O and tests drive it with a virtual clock.
///
/// This file holds the state and its transitions; TCPConnection+Receive.swift takes segments
/// in, TCPConnection+Send.swift sends and runs timers.
struct TCPConnection {
    let local: IPEndpoint
    let remote: IPEndpoint
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
    /// An acknowledgment is owed and goes out at the next `emit`.
    var acknowledgmentPending = false
    /// An acknowledgment is owed for in-order data and may wait until then (RFC 9293, 3.8.6.3):
    /// for the application's answer to carry it, or for a second segment.
    var delayedAcknowledgmentAt: UInt64? = nil
    /// Segments with data received since the last acknowledgment went out.
    var segmentsSinceAcknowledgment = 0
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
        local: IPEndpoint, remote: IPEndpoint, syn: TCPSegment, initialSendSequence: SequenceNumber,
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
        delayedAcknowledgmentAt = nil
    }
}

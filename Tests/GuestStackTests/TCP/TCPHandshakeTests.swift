import Testing

@testable import GuestStack

/// Drives the guest's TCP with hand-made segments: one peer at 10.88.0.1:40000, server on port 80.
struct TCPScript {
    var harness = StackHarness()
    var serverSequence: UInt32 = 0
    var clientSequence: UInt32 = 5000

    init(listen: Bool = true, limits: TCPEndpoint.Limits = .init()) {
        harness = StackHarness(limits: limits)
        if listen { harness.stack.tcp.listen(on: 80) }
    }

    /// SYN, SYN-ACK, ACK; returns the accepted connection.
    /// `accept: false` leaves the connection for an application that accepts on its own.
    mutating func connect(port: UInt16 = 40000, mss: UInt16 = 1460, accept: Bool = true) -> TCPConnectionID? {
        let synAck = harness.exchange([HostFrames.tcp(fromPort: port, sequence: clientSequence, flags: .syn, mss: mss)])
        guard let segment = synAck.first?.tcp, segment.flags == [.syn, .ack] else { return nil }
        serverSequence = segment.sequenceNumber.value &+ 1
        clientSequence &+= 1
        _ = harness.exchange([HostFrames.tcp(fromPort: port, sequence: clientSequence, acknowledgment: serverSequence, flags: .ack)])
        return accept ? harness.stack.tcp.accept(on: 80) : nil
    }

    mutating func send(
        _ data: [UInt8], flags: TCPSegment.Flags = [.ack, .psh], at sequence: UInt32? = nil,
        application: (inout NetworkStack<QueueDevice>) -> Void = { _ in }
    ) -> [SentFrame] {
        let frames = harness.exchange(
            [HostFrames.tcp(sequence: sequence ?? clientSequence, acknowledgment: serverSequence, flags: flags, payload: data)],
            application: application)
        if sequence == nil { clientSequence &+= UInt32(data.count) + (flags.contains(.fin) ? 1 : 0) }
        return frames
    }
}

@Suite("TCP connection setup and teardown")
struct TCPHandshakeTests {
    @Test func closedPortAnswersWithReset() {
        var script = TCPScript(listen: false)
        let sent = script.harness.exchange([HostFrames.tcp(sequence: 100, flags: .syn)])
        let reset = sent.first?.tcp
        #expect(reset?.flags == [.rst, .ack])
        #expect(reset?.acknowledgmentNumber == SequenceNumber(101))
        // A reset is never answered.
        #expect(script.harness.exchange([HostFrames.tcp(sequence: 100, flags: .rst)]).isEmpty)
    }

    @Test func synAckCarriesMSSAndTheConnectionIsAccepted() {
        var script = TCPScript()
        let sent = script.harness.exchange([HostFrames.tcp(sequence: 5000, flags: .syn, mss: 1200)])
        let synAck = sent.first!.tcp!
        #expect(synAck.flags == [.syn, .ack])
        #expect(synAck.acknowledgmentNumber == SequenceNumber(5001))
        #expect(synAck.maximumSegmentSize == 1460)
        #expect(script.harness.stack.tcp.accept(on: 80) == nil)  // not before the handshake ends
    }

    @Test func dataEchoesAndTheAcknowledgmentRidesOnTheAnswer() {
        var script = TCPScript()
        let id = script.connect()!
        #expect(script.harness.stack.tcp.openConnectionCount == 1)
        let sent = script.send(Array("ping".utf8)) { stack in
            let bytes = stack.tcp.read(id)
            stack.tcp.write(id, bytes[...])
        }
        #expect(sent.count == 1)
        let answer = sent[0].tcp!
        #expect(Array(answer.payload) == Array("ping".utf8))
        #expect(answer.acknowledgmentNumber.value == script.clientSequence)
    }

    @Test func peerCloseThenServerCloseEndsInClosedAndFreesTheSlot() {
        var script = TCPScript()
        let id = script.connect()!
        let sent = script.send([], flags: [.fin, .ack])
        #expect(sent.first?.tcp?.flags == .ack)
        #expect(script.harness.stack.tcp.status(id).peerClosed)
        #expect(script.harness.stack.tcp.status(id).state == .closeWait)
        script.harness.stack.tcp.close(id)
        let fin = script.harness.exchange([]).first!.tcp!
        #expect(fin.flags == [.fin, .ack])
        #expect(script.harness.stack.tcp.status(id).state == .lastAck)
        script.serverSequence &+= 1
        _ = script.send([], flags: .ack)
        #expect(script.harness.stack.tcp.connectionCount == 0)
    }

    @Test func serverCloseFirstWaitsInTimeWaitThenFreesTheSlot() {
        var script = TCPScript()
        let id = script.connect()!
        script.harness.stack.tcp.close(id)
        let fin = script.harness.exchange([]).first!.tcp!
        #expect(fin.flags == [.fin, .ack])
        script.serverSequence &+= 1
        _ = script.send([], flags: .ack)
        _ = script.send([], flags: [.fin, .ack])
        #expect(script.harness.stack.tcp.connections.compactMap { $0 }.first?.state == .timeWait)
        #expect(script.harness.stack.tcp.connectionCount == 1)
        #expect(script.harness.stack.tcp.openConnectionCount == 0, "TIME_WAIT carries no data: a stopping guest need not wait for it")
        #expect(script.harness.stack.tcp.nextDeadline == script.harness.now + TCPEndpoint.timeWaitDuration)
        script.harness.now += TCPEndpoint.timeWaitDuration
        _ = script.harness.exchange([])
        #expect(script.harness.stack.tcp.connectionCount == 0)
    }

    @Test func aNewSYNEndsTimeWaitAtOnce() {
        var script = TCPScript()
        let id = script.connect()!
        script.harness.stack.tcp.close(id)
        _ = script.harness.exchange([])
        script.serverSequence &+= 1
        _ = script.send([], flags: [.fin, .ack])
        #expect(script.harness.stack.tcp.connections.compactMap { $0 }.first?.state == .timeWait)
        let synAck = script.harness.exchange([HostFrames.tcp(sequence: script.clientSequence &+ 100_000, flags: .syn)])
        #expect(synAck.first?.tcp?.flags == [.syn, .ack])
        #expect(script.harness.stack.tcp.connections.compactMap { $0 }.first?.state == .synReceived)
    }

    @Test func resetInTheWindowClosesAndOneOutsideIsIgnored() {
        var script = TCPScript()
        let id = script.connect()!
        #expect(script.send([], flags: .rst, at: script.clientSequence &+ 100_000).first?.tcp?.flags == nil)
        #expect(!script.harness.stack.tcp.status(id).isClosed)
        _ = script.send([], flags: .rst)
        #expect(script.harness.stack.tcp.status(id).isClosed)
        script.harness.stack.tcp.close(id)
        #expect(script.harness.stack.tcp.connectionCount == 0)
    }

    @Test func synBacklogBoundsHalfOpenConnections() {
        var limits = TCPEndpoint.Limits()
        limits.synBacklog = 8
        var script = TCPScript(limits: limits)
        let flood = (0..<100).map { HostFrames.tcp(fromPort: UInt16(10_000 + $0), sequence: 1, flags: .syn) }
        let answers = script.harness.exchange(flood)
        #expect(answers.count == 8)
        #expect(script.harness.stack.tcp.connectionCount == 8)
        // Unanswered SYN-ACKs are retried, then the half-open connections are dropped.
        for _ in 0..<40 {
            script.harness.now += 5_000_000
            _ = script.harness.exchange([])
        }
        #expect(script.harness.stack.tcp.connectionCount == 0)
    }

    @Test func servesMoreThan128ConnectionsAtOnce() {
        var script = TCPScript()
        var ids: [TCPConnectionID] = []
        for index in 0..<200 {
            script.clientSequence = 1000
            guard let id = script.connect(port: UInt16(20_000 + index)) else { break }
            ids.append(id)
        }
        #expect(ids.count == 200)
        #expect(script.harness.stack.tcp.connectionCount == 200)
        for id in ids { #expect(script.harness.stack.tcp.status(id).state == .established) }
    }

    @Test func retransmitsUnacknowledgedDataWithBackoffThenGivesUp() {
        var script = TCPScript()
        let id = script.connect()!
        script.harness.stack.tcp.write(id, [1, 2, 3][...])
        #expect(script.harness.exchange([]).first?.tcp?.payload.count == 3)
        var resends: [UInt64] = []
        let start = script.harness.now
        while script.harness.now < start + 600_000_000 {
            script.harness.now = script.harness.stack.nextDeadline ?? script.harness.now + 1_000_000
            script.harness.stack.arpCache.insert(hostIP, hostMAC, now: script.harness.now)  // the host stays known
            let sent = script.harness.exchange([])
            if sent.first?.tcp?.payload.count == 3 { resends.append((script.harness.now - start) / 1_000_000) }
            if script.harness.stack.tcp.status(id).isClosed { break }
        }
        #expect(resends == [1, 3, 7, 15, 31, 63, 123, 183])
        #expect(script.harness.stack.tcp.status(id).isClosed)
        #expect((script.harness.now - start) / 1_000_000 == 243)  // the ninth expiry gives up (and resets)
    }
}

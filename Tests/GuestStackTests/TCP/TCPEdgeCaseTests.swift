import Testing

@testable import GuestStack

@Suite("TCP edge cases: lost SYN-ACK, stray SYN, zero window")
struct TCPEdgeCaseTests {
    @Test func aRepeatedSYNGetsTheSameSYNAckAgain() {
        var script = TCPScript()
        let first = script.harness.exchange([HostFrames.tcp(sequence: 5000, flags: .syn, mss: 1460)]).first!.tcp!
        let again = script.harness.exchange([HostFrames.tcp(sequence: 5000, flags: .syn, mss: 1460)]).first!.tcp!
        #expect(again.flags == [.syn, .ack])
        #expect(again.sequenceNumber == first.sequenceNumber)
        #expect(script.harness.stack.tcp.connectionCount == 1)
    }

    @Test func aSYNOnAnEstablishedConnectionGetsAChallengeACKAndChangesNothing() {
        var script = TCPScript()
        let id = script.connect()!
        let answer = script.send([], flags: .syn, at: 77).first!.tcp!
        #expect(answer.flags == .ack)
        #expect(answer.acknowledgmentNumber.value == script.clientSequence)
        #expect(script.harness.stack.tcp.status(id).state == .established)
    }

    @Test func aClosedWindowIsProbedUntilItOpens() {
        var script = TCPScript()
        let id = script.connect()!
        _ = script.harness.exchange([
            HostFrames.tcp(sequence: script.clientSequence, acknowledgment: script.serverSequence, flags: .ack, window: 0)
        ])
        script.harness.stack.tcp.write(id, [1, 2, 3, 4][...])
        #expect(script.harness.exchange([]).isEmpty)  // nothing may go out into a closed window
        script.harness.now = script.harness.stack.nextDeadline!
        let probe = script.harness.exchange([]).first!.tcp!
        #expect(probe.payload.count == 1)  // one byte past the window
        let opened = script.harness.exchange([
            HostFrames.tcp(sequence: script.clientSequence, acknowledgment: script.serverSequence, flags: .ack, window: 1000)
        ])
        // The probe byte is still unacknowledged; the other three follow it.
        #expect(opened.first?.tcp?.sequenceNumber == probe.sequenceNumber + 1)
        #expect(opened.first?.tcp?.payload.count == 3)
    }

    @Test func legacyDevicesRefuseRingsAboveTheir32BitPageNumbers() {
        // Host heap addresses lie above 16 TiB on x86-64 Linux; the driver must say so, not truncate.
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        defer { pointer.deallocate() }
        guard UInt64(UInt(bitPattern: pointer)) >> 44 != 0 else { return }
        #expect(throws: VirtioNetDriver<SimulatedVirtioNet>.SetupError.queueUnavailable(0)) {
            try VirtioNetDriver(transport: SimulatedVirtioNet(version: 1))
        }
    }
}

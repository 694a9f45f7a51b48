import Testing

@testable import GuestStack

@Suite("TCP receive: out of order, duplicates, window")
struct TCPReceiveTests {
    @Test func outOfOrderSegmentsWaitForTheGapAndAreAcknowledgedAsDuplicates() {
        var script = TCPScript()
        let id = script.connect()!
        let base = script.clientSequence
        let ack1 = script.send(Array("world".utf8), at: base &+ 6).first!.tcp!
        #expect(ack1.acknowledgmentNumber.value == base)  // a duplicate ACK: the gap is at base
        #expect(script.harness.stack.tcp.read(id).isEmpty)
        let ack2 = script.send(Array("hello ".utf8), at: base).first!.tcp!
        #expect(ack2.acknowledgmentNumber.value == base &+ 11)
        #expect(String(decoding: script.harness.stack.tcp.read(id), as: UTF8.self) == "hello world")
    }

    @Test func duplicatesAndOverlapsAreTrimmed() {
        var script = TCPScript()
        let id = script.connect()!
        let base = script.clientSequence
        _ = script.send(Array("abcdef".utf8), at: base)
        _ = script.send(Array("abcdef".utf8), at: base)  // a pure duplicate
        _ = script.send(Array("defghi".utf8), at: base &+ 3)  // overlaps by three bytes
        #expect(String(decoding: script.harness.stack.tcp.read(id), as: UTF8.self) == "abcdefghi")
    }

    @Test func finAfterAGapIsHeldUntilTheDataArrives() {
        var script = TCPScript()
        let id = script.connect()!
        let base = script.clientSequence
        _ = script.send(Array("xyz".utf8), flags: [.fin, .ack], at: base &+ 3)
        #expect(!script.harness.stack.tcp.status(id).peerClosed)
        let ack = script.send(Array("uvw".utf8), at: base).first!.tcp!
        #expect(ack.acknowledgmentNumber.value == base &+ 7)  // six bytes and the FIN
        #expect(String(decoding: script.harness.stack.tcp.read(id), as: UTF8.self) == "uvwxyz")
        #expect(script.harness.stack.tcp.status(id).peerClosed)
    }

    @Test func theWindowShrinksAsTheBufferFillsAndDataBeyondItIsRefused() {
        var limits = TCPEndpoint.Limits()
        limits.receiveBufferSize = 4096
        var script = TCPScript(limits: limits)
        let id = script.connect()!
        _ = script.send([UInt8](repeating: 1, count: 1000))
        let ack = script.send([UInt8](repeating: 2, count: 1460)).first!.tcp!  // every second segment
        #expect(ack.window == 1636)
        let full = script.send([UInt8](repeating: 3, count: 2000)).first!.tcp!  // only 1636 fit
        #expect(full.window == 0)
        #expect(script.harness.stack.tcp.read(id).count == 4096)
        // Reading opens the window, and the stack says so.
        let update = script.harness.exchange([]).first?.tcp
        #expect(update?.window == 4096)
    }

    @Test func oneSegmentIsAcknowledgedAfterTheDelayUnlessAnAnswerCarriesItFirst() {
        var script = TCPScript()
        let id = script.connect()!
        let start = script.harness.now
        #expect(script.send(Array("hel".utf8)).isEmpty)
        #expect(script.harness.stack.nextDeadline == start + TCPConnection.acknowledgmentDelay)
        script.harness.now += TCPConnection.acknowledgmentDelay - 1
        #expect(script.harness.exchange([]).isEmpty)
        script.harness.now += 1
        let delayed = script.harness.exchange([]).first?.tcp
        #expect(delayed?.flags == .ack && delayed?.acknowledgmentNumber.value == script.clientSequence)
        #expect(script.harness.stack.nextDeadline == nil)

        // An answer in the same turn carries the acknowledgment; nothing is left to send later.
        let answer = script.send(Array("lo".utf8)) { stack in
            _ = stack.tcp.write(id, Array("ok".utf8)[...])
        }
        #expect(answer.count == 1 && answer.first?.tcp?.acknowledgmentNumber.value == script.clientSequence)
        #expect(script.harness.stack.tcp.read(id) == Array("hello".utf8))
        script.harness.now += TCPConnection.acknowledgmentDelay
        #expect(script.harness.exchange([]).allSatisfy { $0.tcp?.payload.isEmpty == false })  // no lone ACK
    }

    @Test func aFINIsAcknowledgedAtOnce() {
        var script = TCPScript()
        _ = script.connect()!
        let ack = script.send([], flags: [.fin, .ack]).first?.tcp
        #expect(ack?.acknowledgmentNumber.value == script.clientSequence)
    }

    @Test func segmentsWithBadChecksumsOrGarbageAreIgnored() {
        var script = TCPScript()
        _ = script.connect()
        var corrupt = HostFrames.tcp(sequence: script.clientSequence, acknowledgment: script.serverSequence, flags: .ack, payload: [1, 2])
        corrupt[corrupt.count - 1] ^= 0xff
        var headerTooLong = HostFrames.tcp(sequence: 1, flags: .syn)
        headerTooLong[14 + 20 + 12] = 0xf0
        #expect(script.harness.exchange([corrupt, headerTooLong, Array(corrupt.prefix(40))]).isEmpty)
    }
}

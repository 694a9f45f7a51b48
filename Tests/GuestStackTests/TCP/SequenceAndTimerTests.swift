import Testing

@testable import GuestStack

@Suite("TCP sequence numbers (RFC 9293, 3.4)")
struct SequenceNumberTests {
    @Test func comparisonsHoldAcrossTheWrap() {
        let nearEnd = SequenceNumber(0xffff_fff0)
        let wrapped = nearEnd + 0x20
        #expect(wrapped.value == 0x10)
        #expect(nearEnd < wrapped)
        #expect(wrapped - nearEnd == 0x20)
        #expect(nearEnd - wrapped == -0x20)
        #expect(wrapped.isWithin(nearEnd, length: 0x21))
        #expect(!wrapped.isWithin(nearEnd, length: 0x20))
    }
}

@Suite("Retransmission timeout (RFC 6298)")
struct RetransmissionTimerTests {
    @Test func startsAtOneSecond() {
        #expect(RetransmissionTimer().timeout == 1_000_000)
    }

    @Test func firstSampleSetsSRTTAndHalfOfItAsVariation() {
        let timer = RetransmissionTimer().sampled(100_000)
        #expect(timer.smoothedRTT == 100_000)
        #expect(timer.variation == 50_000)
        #expect(timer.timeout == 300_000)  // 100 ms + 4 x 50 ms
    }

    @Test func laterSamplesSmoothWithAnEighthAndAQuarter() {
        let timer = RetransmissionTimer().sampled(100_000).sampled(200_000)
        #expect(timer.smoothedRTT == 112_500)  // 7/8 x 100 + 1/8 x 200
        #expect(timer.variation == 62_500)  // 3/4 x 50 + 1/4 x 100
        #expect(timer.timeout == 362_500)
    }

    @Test func tinyRoundTripsStillWaitTheMinimum() {
        #expect(RetransmissionTimer().sampled(300).timeout == RetransmissionTimer.minimum)
    }

    @Test func backoffDoublesUpToTheMaximum() {
        var timer = RetransmissionTimer()
        var timeouts: [UInt64] = []
        for _ in 0..<8 {
            timer = timer.backedOff()
            timeouts.append(timer.timeout / 1_000_000)
        }
        #expect(timeouts == [2, 4, 8, 16, 32, 60, 60, 60])
    }
}

import Testing

@testable import GuestStack

@Suite("Ready datagram")
struct ReadyAnnouncementTests {
    @Test func rendersAndParsesBack() {
        let announcement = ReadyAnnouncement(instanceID: "hello-12", bootMicroseconds: 1234)
        #expect(announcement.text == "READY hello-12 1234")
        #expect(ReadyAnnouncement(parsing: Array(announcement.text.utf8)) == announcement)
        #expect(ReadyAnnouncement(parsing: Array("READY hello-12 1234\n".utf8)) == announcement)
    }

    @Test(arguments: [
        "", "READY", "READY hello-1", "READY hello-1 12 extra", "ready hello-1 12", "READY hello/1 12",
        "READY hello-1 -3", "READY hello-1 1.5", "READY hello-1 99999999999999999999",
    ])
    func refuses(text: String) {
        #expect(ReadyAnnouncement(parsing: Array(text.utf8)) == nil)
    }

    @Test func whatTheGuestSendsIsWhatTheHostParses() {
        let payload = ReadinessAnnouncer.payload(instanceID: "hello-3", bootMicroseconds: 0)
        #expect(ReadyAnnouncement(parsing: payload) == ReadyAnnouncement(instanceID: "hello-3", bootMicroseconds: 0))
    }

    @Test func refusesOversizedPayloads() {
        #expect(ReadyAnnouncement(parsing: Array(("READY a 1" + String(repeating: " ", count: 200)).utf8)) == nil)
    }
}

@Suite("Stop request")
struct StopRequestTests {
    @Test func theHostsRequestMatchesOnlyItsOwnInstance() {
        let request = StopRequest.payload(instanceID: "hello-3")
        #expect(String(decoding: request, as: UTF8.self) == "STOP hello-3")
        #expect(StopRequest.matches(request, instanceID: Array("hello-3".utf8)))
        #expect(StopRequest.matches(request + [10], instanceID: Array("hello-3".utf8)), "a trailing newline is allowed")
        #expect(!StopRequest.matches(request, instanceID: Array("hello-30".utf8)))
        #expect(!StopRequest.matches(request, instanceID: Array("hello-".utf8)))
        #expect(!StopRequest.matches(request, instanceID: []))
        for hostile in ["STOP  hello-3", "stop hello-3", "STOPhello-3x", "STOP hello-3 now", "", "STOP"] {
            #expect(!StopRequest.matches(Array(hostile.utf8), instanceID: Array("hello-3".utf8)), "\(hostile)")
        }
    }
}

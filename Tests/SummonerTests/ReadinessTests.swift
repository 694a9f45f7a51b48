import Foundation
import GuestStack
import SummonerTestSupport
import Testing

@testable import Summoner

@Suite("Readiness probes")
struct ReadinessTests {
    let guest = IPv4Address(10, 77, 0, 10)
    var target: ReadinessTarget { ReadinessTarget(instanceID: "hello-1", address: guest, serialLogPath: "/nonexistent") }

    @Test func aDatagramReleasesTheWaiter() async throws {
        let probe = AnnouncementReadiness()
        async let ready: Void = probe.waitUntilReady(target)
        try await Task.sleep(for: .milliseconds(20))
        #expect(probe.receive(Array("READY hello-1 850".utf8), from: guest))
        try await ready
    }

    @Test func anAnnouncementBeforeTheWaitIsKept() async throws {
        let probe = AnnouncementReadiness()
        probe.receive(Array("READY hello-1 850\n".utf8), from: guest)
        try await probe.waitUntilReady(target)
    }

    @Test func anAnnouncementFromAnotherAddressIsIgnored() async throws {
        let probe = AnnouncementReadiness()
        probe.receive(Array("READY hello-1 1".utf8), from: IPv4Address(10, 77, 0, 66))
        let waiter = Task { try await probe.waitUntilReady(target) }
        try await Task.sleep(for: .milliseconds(50))
        probe.receive(Array("READY hello-1 1".utf8), from: IPv4Address(10, 77, 0, 66))
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func garbageIsRefusedAndStrayAnnouncementsAreBounded() async throws {
        let probe = AnnouncementReadiness(capacity: 4)
        #expect(!probe.receive(Array("hello".utf8), from: guest))
        probe.receive(Array("READY hello-1 1".utf8), from: guest)
        for i in 2...10 { probe.receive(Array("READY stray-\(i) 1".utf8), from: guest) }
        let waiter = Task { try await probe.waitUntilReady(target) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self, "hello-1's early announcement was pushed out") { try await waiter.value }
    }

    @Test func firstReadinessTakesWhicheverProbeAnswersFirst() async throws {
        let manual = ManualReadiness()
        let datagram = AnnouncementReadiness()
        let probe = FirstReadiness([datagram, manual])
        async let ready: Void = probe.waitUntilReady(target)
        try await Task.sleep(for: .milliseconds(20))
        manual.markReady("hello-1")
        try await ready
    }

    @Test func serialLogNeedsACompleteLine() {
        #expect(SerialLogReadiness.containsReadyLine("boot\nREADY hello-1\n", expected: "READY hello-1"))
        #expect(SerialLogReadiness.containsReadyLine("READY hello-1\r\n", expected: "READY hello-1"))
        #expect(!SerialLogReadiness.containsReadyLine("READY hello-1", expected: "READY hello-1"), "may still become hello-12")
        #expect(!SerialLogReadiness.containsReadyLine("READY hello-12\n", expected: "READY hello-1"))
    }

    @Test func serialLogProbeFindsTheLineInAFile() async throws {
        let path = NSTemporaryDirectory() + "serial-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let probe = SerialLogReadiness(pollInterval: .milliseconds(1))
        async let ready: Void = probe.waitUntilReady(ReadinessTarget(instanceID: "hello-1", address: guest, serialLogPath: path))
        try await Task.sleep(for: .milliseconds(20))
        try Data("READY hello-1\n".utf8).write(to: URL(fileURLWithPath: path))
        try await ready
    }
}

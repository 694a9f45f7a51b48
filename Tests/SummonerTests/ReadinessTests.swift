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

    /// Whether the serial-log probe's scanner finds `expected` in the whole of `log`.
    func containsReadyLine(_ log: String, expected: String) -> Bool {
        var scanner = ReadyLineScanner(expected: expected)
        return scanner.feed(log.utf8)
    }

    @Test func serialLogNeedsACompleteLine() {
        #expect(containsReadyLine("boot\nREADY hello-1\n", expected: "READY hello-1"))
        #expect(containsReadyLine("READY hello-1\r\n", expected: "READY hello-1"))
        #expect(!containsReadyLine("READY hello-1", expected: "READY hello-1"), "may still become hello-12")
        #expect(!containsReadyLine("READY hello-12\n", expected: "READY hello-1"))
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

@Suite("Readiness modes")
struct ReadinessModeTests {
    @Test func parsesTheConfigForms() {
        #expect(ReadinessMode("announce") == .announce)
        #expect(ReadinessMode("none") == ReadinessMode.none)
        #expect(ReadinessMode("tcp:80") == .tcp(port: 80))
        for bad in ["", "tcp", "tcp:", "tcp:0", "tcp:65536", "tcp:http", "udp:53", "Announce"] {
            #expect(ReadinessMode(bad) == nil, "\(bad)")
        }
    }

    @Test func aTCPProbeWaitsForTheListener() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let loopback = IPv4Address(127, 0, 0, 1)
        #expect(!TCPPortReadiness.connects(to: loopback, port: port, timeout: .milliseconds(100)), "bound but not listening")
        let target = ReadinessTarget(instanceID: "a-1", address: loopback, serialLogPath: "/none", mode: .tcp(port: port))
        let probe = Task { try await TCPPortReadiness().waitUntilReady(target) }
        try await Task.sleep(for: .milliseconds(30))
        listen(listener, 4)
        try await probe.value
    }

    @Test func modeNoneIsReadyAtOnceAndAnnounceWaits() async throws {
        let manual = ManualReadiness()
        let probe = ModeReadiness(announce: manual)
        try await probe.waitUntilReady(ReadinessTarget(instanceID: "n-1", address: IPv4Address(10, 0, 0, 1), serialLogPath: "/none", mode: .none))
        let waiting = Task {
            try await probe.waitUntilReady(ReadinessTarget(instanceID: "a-1", address: IPv4Address(10, 0, 0, 1), serialLogPath: "/none"))
        }
        #expect(await eventually { manual.waitingIDs == ["a-1"] })
        manual.markReady("a-1")
        try await waiting.value
    }
}

import DNSFrontend
import GuestStack
import SummonerTestSupport
import Testing

@testable import Summoner

/// A-query answers for ready instances without the manager's actor, and what the reaper sees
/// of them.
@Suite("Live answers")
struct LiveAnswersTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness() }

    var provider: SummonerZoneProvider<ManualClock> { SummonerZoneProvider(manager: manager) }

    @Test func aReadyInstanceIsAnsweredAtOnceAndTheLookupsCount() async {
        #expect(provider.immediateLookup(labels: ["hello"], type: .a) == nil, "nothing live: the manager must summon")
        readiness.markReady("hello-1")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        for _ in 0..<3 {
            #expect(provider.immediateLookup(labels: ["hello"], type: .a) == .addresses([DNSIPv4Address(10, 77, 0, 10)], ttl: 5))
        }
        #expect(provider.immediateLookup(labels: ["web"], type: .a) == nil)
        #expect(await manager.snapshot().first?.lookups == 4, "one through the manager, three answered at once")
    }

    @Test func lookupsAnsweredAtOnceKeepAnInstanceFromTheReaper() async {
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        for _ in 0..<3 {  // idle_timeout is 10 s; a lookup every 6 s keeps it
            clock.advance(by: .seconds(6))
            #expect(provider.immediateLookup(labels: ["hello"], type: .a) != nil)
            await manager.tick()
        }
        #expect(hypervisor.stopped.isEmpty)
        clock.advance(by: .seconds(10))
        await manager.tick()
        #expect(provider.immediateLookup(labels: ["hello"], type: .a) == nil, "no answer once the reaper stops it")
        #expect(await eventually { hypervisor.stopped == ["summoner-hello-1"] })
    }
}

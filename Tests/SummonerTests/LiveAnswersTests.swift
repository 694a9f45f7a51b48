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

/// AAAA answers when guests have IPv6 addresses (`[network] ipv6_prefix`), and none without.
@Suite("IPv6 answers")
struct IPv6AnswersTests {
    @Test func withoutAPrefixAAAAIsNoDataAndSummonsNothing() async throws {
        let harness = try ManagerHarness()
        let provider = SummonerZoneProvider(manager: harness.manager)
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == .noData)
        #expect(await provider.lookup(labels: ["hello"], type: .aaaa) == .noData)
        #expect(harness.hypervisor.started.isEmpty)
    }

    @Test func aaaaSummonsAndTheGuestIsToldItsAddress() async throws {
        let harness = try ManagerHarness { config in
            config.network.ipv6Prefix = IPv6Interface(address: IPv6Address("fd77::")!, prefixLength: 64)
        }
        let provider = SummonerZoneProvider(manager: harness.manager)
        let expected = ZoneLookupResult.ipv6Addresses([DNSIPv6Address(high: 0xfd77_0000_0000_0000, low: 0xa)], ttl: 5)
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == nil, "nothing live: the manager must summon")
        harness.readiness.markReady("hello-1")
        #expect(await provider.lookup(labels: ["hello"], type: .aaaa) == expected)
        #expect(harness.hypervisor.started.first?.commandLine.rendered == "id=hello-1 ip=10.77.0.10/24 gw=10.77.0.1 ip6=fd77::a/64")
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == expected)
        #expect(provider.immediateLookup(labels: ["hello"], type: .a) == .addresses([DNSIPv4Address(10, 77, 0, 10)], ttl: 5))
        #expect(provider.immediateLookup(labels: ["hello"], type: .txt) == .noData)
        let snapshot = await harness.manager.snapshot().first
        #expect(snapshot?.lookups == 3, "AAAA lookups count like A lookups")
        #expect(snapshot?.address6 == "fd77::a", "summonerctl list shows the IPv6 address")
    }
}

import DNSFrontend
import Foundation
import GuestStack
import Logging
import SummonerTestSupport
import Testing
import VMLauncher

@testable import Summoner

/// SIGHUP reload: unaffected instances are kept, changed and removed services are reconciled.
@Suite("Reload")
struct ReloadTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness() }

    /// Both services live.
    func summonBoth() async {
        readiness.markReady("hello-1")
        readiness.markReady("web-2")
        _ = await manager.resolve(service: "hello")
        _ = await manager.resolve(service: "web")
    }

    @Test func aTimingChangeKeepsTheLiveInstance() async {
        await summonBoth()
        var new = config
        new.services["hello"]?.ttl = 99
        new.services["hello"]?.idleTimeout = .seconds(100)
        let report = await manager.reload(new)
        #expect(report.retuned == ["hello"])
        #expect(report.rebuilt.isEmpty && report.removed.isEmpty)
        #expect(hypervisor.stopped.isEmpty)
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 99))
        clock.advance(by: .seconds(70))  // past web's 60 s idle timeout, before hello's new 100 s
        await manager.tick()
        #expect(await eventually { await manager.snapshot().map(\.id) == ["hello-1"] }, "the new idle timeout applies; web was reaped")
    }

    @Test func anAddressChangeReplacesOnlyThatServicesInstance() async {
        await summonBoth()
        var new = config
        new.services["hello"]?.address = IPv4Address(10, 77, 0, 20)
        let report = await manager.reload(new)
        #expect(report.rebuilt == ["hello"])
        #expect(await eventually { hypervisor.stopped == ["summoner-hello-1"] })
        readiness.markReady("hello-3")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 20), ttl: 5))
        #expect(hypervisor.started.last?.commandLine.interface?.address == IPv4Address(10, 77, 0, 20))
        #expect(hypervisor.runningNames.contains("summoner-web-2"), "web is untouched")
    }

    @Test func addingAnIPv6PrefixRebuildsEveryInstanceAndAAAAFollows() async {
        await summonBoth()
        let provider = SummonerZoneProvider(manager: manager)
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == .noData)
        var new = config
        new.network.ipv6Prefix = IPv6Interface(address: IPv6Address("fd77::")!, prefixLength: 64)
        let report = await manager.reload(new)
        #expect(report.rebuilt == ["hello", "web"], "every guest needs its new address on its command line")
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == nil, "AAAA now summons")
        #expect(await eventually { hypervisor.stopped.sorted() == ["summoner-hello-1", "summoner-web-2"] })
        readiness.markReady("hello-3")
        #expect(await provider.lookup(labels: ["hello"], type: .aaaa) == .ipv6Addresses([DNSIPv6Address(high: 0xfd77 << 48, low: 0xa)], ttl: 5))
        #expect(hypervisor.started.last?.commandLine.interface6?.text == "fd77::a/64")

        new.network.ipv6Prefix = nil
        _ = await manager.reload(new)
        #expect(provider.immediateLookup(labels: ["hello"], type: .aaaa) == .noData, "and back: no AAAA at once")
    }

    @Test func aRemovedServiceIsStoppedAndNoLongerAnswers() async {
        await summonBoth()
        var new = config
        new.services["web"] = nil
        let report = await manager.reload(new)
        #expect(report.removed == ["web"])
        #expect(await eventually { hypervisor.stopped == ["summoner-web-2"] })
        #expect(await manager.resolve(service: "web") == .unknownService)
        #expect(await manager.serviceExists("web") == false)
        #expect(hypervisor.runningNames == ["summoner-hello-1"])
    }

    @Test func anAddedServiceAnswers() async {
        var new = config
        new.services["api"] = ServiceConfig(
            name: "api", image: "hello", address: IPv4Address(10, 77, 0, 30), ttl: 7, idleTimeout: .seconds(5),
            bootTimeout: .seconds(2), memoryMiB: 32, vcpus: 1, poolSize: 0)
        #expect(await manager.reload(new).added == ["api"])
        readiness.markReady("api-1")
        #expect(await manager.resolve(service: "api") == .address(IPv4Address(10, 77, 0, 30), ttl: 7))
    }

    @Test func settingsBoundAtStartAreReportedNotApplied() async {
        var new = config
        new.dnsListen = [ListenAddress(host: "127.0.0.2", port: 53)]
        new.libvirtURI = "qemu:///session"
        let report = await manager.reload(new)
        #expect(report.needsRestart == ["dns.listen", "libvirt.uri"])
    }

    @Test func aSmallerPoolDestroysTheExtraPausedDomains() async throws {
        let harness = try ManagerHarness(pool: 2)
        let pooled = harness.manager
        for _ in 0..<4 {
            await pooled.tick()
            _ = await eventually { harness.hypervisor.pausedNames.count >= 2 }
        }
        #expect(await eventually { await pooled.snapshot().filter { $0.service == "hello" && $0.state == .pooled }.count == 2 })
        var new = try ImageFixture.config(pool: 2)
        new.services["hello"]?.poolSize = 1
        _ = await pooled.reload(new)
        await pooled.tick()
        #expect(await eventually { await pooled.snapshot().filter { $0.service == "hello" && $0.state.isPool }.count == 1 })
    }
}

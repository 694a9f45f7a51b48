import Foundation
import GuestStack
import SummonerTestSupport
import Testing
import VMLauncher

@testable import Summoner

/// Stop mode `shutdown`: the guest is asked to stop, and destroyed only if it does not.
@Suite("Instance manager: stop mode shutdown")
struct InstanceManagerShutdownTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws {
        harness = try ManagerHarness {
            $0.services["hello"]?.stopMode = .shutdown
            $0.services["hello"]?.shutdownTimeout = .seconds(2)
        }
    }

    /// Boots hello-1 and lets it go idle: the reaper asks it to stop.
    func summonAndIdle() async {
        readiness.markReady("hello-1")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        clock.advance(by: .seconds(10))
        await manager.tick()
    }

    @Test func anIdleGuestIsAskedToStopAndItsEndIsNotACrash() async {
        await summonAndIdle()
        #expect(await eventually { messenger.sent.count == InstanceManager<ManualClock>.stopRequestCopies })
        #expect(messenger.sent.allSatisfy { $0.text == "STOP hello-1" && $0.endpoint == IPv4Endpoint(address: IPv4Address(10, 77, 0, 10), port: 49152) })
        #expect(await manager.snapshot().map(\.state) == [.stopping])
        await manager.handle(DomainEvent(domainName: "summoner-hello-1", kind: .stopped))
        #expect(await manager.snapshot().isEmpty)
        #expect(hypervisor.stopped.isEmpty, "a guest that stopped on its own is not destroyed")
        #expect(await manager.counters.reaped == 1)
    }

    @Test func aGuestThatDoesNotStopIsDestroyedAfterTheTimeout() async {
        await summonAndIdle()
        clock.advance(by: .milliseconds(1900))
        await manager.tick()
        #expect(hypervisor.stopped.isEmpty)
        clock.advance(by: .milliseconds(100))
        await manager.tick()
        #expect(await eventually { hypervisor.stopped == ["summoner-hello-1"] })
        #expect(await eventually { await manager.snapshot().isEmpty })
        #expect(await manager.counters.reaped == 1)
    }

    @Test func aLookupDuringTheShutdownGetsAFreshInstanceOnceTheOldOneIsGone() async {
        await summonAndIdle()
        async let again = manager.resolve(service: "hello")
        #expect(await eventually { messenger.sent.count >= 1 })
        #expect(hypervisor.started.count == 1, "nothing is booted while the old guest holds the address")
        await manager.handle(DomainEvent(domainName: "summoner-hello-1", kind: .stopped))
        #expect(await eventually { readiness.waitingIDs == ["hello-2"] })
        readiness.markReady("hello-2")
        #expect(await again == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
    }

    @Test func daemonShutdownDestroysAGuestStillStopping() async {
        await summonAndIdle()
        await manager.shutdown()
        #expect(hypervisor.stopped == ["summoner-hello-1"])
        #expect(hypervisor.runningNames.isEmpty)
    }
}

/// `pool_state = "booted"` through the manager.
@Suite("Instance manager: booted pool")
struct InstanceManagerBootedPoolTests: ManagerHarnessSuite {
    let harness: ManagerHarness
    let first = IPv4Address(10, 77, 0, 20)

    init() throws {
        harness = try ManagerHarness(pool: 1) {
            $0.services["hello"]?.addresses = [IPv4Address(10, 77, 0, 20), IPv4Address(10, 77, 0, 21)]
            $0.services["hello"]?.poolState = .booted
            $0.services["web"]?.poolSize = 0
        }
    }

    @Test func thePoolMemberBootsIsParkedAndAnswersTheLookupWithoutWaitingForReadiness() async {
        await manager.tick()
        #expect(await eventually { readiness.waitingIDs == ["hello-1"] }, "the pool member boots running")
        #expect(hypervisor.started.first?.commandLine.interface?.address == first)
        readiness.markReady("hello-1")
        #expect(await eventually { hypervisor.parkedNames == ["summoner-hello-1"] })
        #expect(await eventually { await manager.snapshot().map(\.state) == [.pooled] })
        #expect(await manager.resolve(service: "hello") == .address(first, ttl: 5))
        #expect(hypervisor.parkedNames.isEmpty && hypervisor.runningNames == ["summoner-hello-1"])
        #expect(await manager.counters.poolResumes == 1)
        #expect(await manager.counters.coldBoots == 0)
        await manager.tick()
        #expect(await eventually { hypervisor.started.last?.commandLine.interface?.address == IPv4Address(10, 77, 0, 21) },
                "the refill takes the other address")
    }
}

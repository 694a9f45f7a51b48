import Foundation
import GuestStack
import Logging
import SummonerTestSupport
import Testing
import VMLauncher

@testable import Summoner

/// The manager against a fake hypervisor, readiness on demand, and a clock the test moves.
@Suite("Instance manager")
struct InstanceManagerTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness() }

    @Test func aLookupBootsThenAnswersOnceTheGuestIsReady() async throws {
        async let answer = manager.resolve(service: "hello")
        #expect(await eventually { readiness.waitingIDs == ["hello-1"] })
        let spec = try #require(hypervisor.started.first)
        #expect(spec.name == "summoner-hello-1")
        #expect(spec.commandLine.rendered == "id=hello-1 ip=10.77.0.10/24 gw=10.77.0.1")
        #expect(spec.kernelPath == ImageFixture.directory + "/hello.elf")
        #expect(spec.metadata == DomainMetadata(service: "hello", instanceID: "hello-1", address: IPv4Address(10, 77, 0, 10)))
        readiness.markReady("hello-1")
        #expect(await answer == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        #expect(await manager.snapshot().map(\.state) == [.ready])
    }

    @Test func tenConcurrentLookupsBootOneDomain() async {
        let answers = await withTaskGroup(of: InstanceManager<ManualClock>.Resolution.self) { group in
            for _ in 0..<10 { group.addTask { await manager.resolve(service: "hello") } }
            #expect(await eventually { readiness.waitingIDs == ["hello-1"] })
            readiness.markReady("hello-1")
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == Array(repeating: .address(IPv4Address(10, 77, 0, 10), ttl: 5), count: 10))
        #expect(hypervisor.started.count == 1)
        #expect(await manager.snapshot().first?.lookups == 10)
    }

    @Test func anotherServiceDoesNotWaitForABoot() async {
        async let slow = manager.resolve(service: "hello")
        #expect(await eventually { readiness.waitingIDs.contains("hello-1") })
        readiness.markReady("web-2")
        #expect(await manager.resolve(service: "web") == .address(IPv4Address(10, 77, 0, 11), ttl: 30))
        #expect(await manager.resolve(service: "nope") == .unknownService)
        readiness.markReady("hello-1")
        _ = await slow
    }

    @Test func aBootTimeoutGivesFailureAndDestroysTheDomain() async {
        async let answer = manager.resolve(service: "hello")
        #expect(await eventually { readiness.waitingIDs == ["hello-1"] })
        clock.advance(by: .seconds(2))
        await manager.tick()
        #expect(await answer == .failure)
        #expect(await eventually { hypervisor.stopped == ["summoner-hello-1"] })
        #expect(await eventually { await manager.snapshot().isEmpty })
        #expect(hypervisor.runningNames.isEmpty)
        #expect(await manager.counters.bootFailures == 1)
        #expect(readiness.waitingIDs.isEmpty, "the readiness watch is cancelled")
    }

    @Test func aHypervisorFailureGivesFailure() async {
        hypervisor.failStarts(with: .operationFailed(operation: "create", domain: "summoner-hello-1", code: 1, message: "boom"))
        #expect(await manager.resolve(service: "hello") == .failure)
        #expect(await eventually { await manager.snapshot().isEmpty })
    }

    @Test func anIdleInstanceIsReapedAndTheNextLookupBootsAgain() async {
        readiness.markReady("hello-1")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        clock.advance(by: .seconds(9))
        await manager.tick()
        #expect(hypervisor.stopped.isEmpty)
        clock.advance(by: .seconds(1))
        await manager.tick()
        #expect(await eventually { await manager.snapshot().isEmpty })
        #expect(hypervisor.stopped == ["summoner-hello-1"])
        #expect(await manager.counters.reaped == 1)
        readiness.markReady("hello-2")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        #expect(hypervisor.started.map(\.name) == ["summoner-hello-1", "summoner-hello-2"])
    }

    @Test func aCrashedDomainIsForgottenSoTheNextLookupBootsAgain() async {
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        await manager.handle(DomainEvent(domainName: "summoner-hello-1", kind: .crashed))
        #expect(await manager.snapshot().isEmpty)
    }

    @Test func shutdownDestroysEveryLiveInstance() async {
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        await manager.shutdown()
        #expect(hypervisor.runningNames.isEmpty)
        #expect(await manager.snapshot().isEmpty)
    }

    func leftover(_ id: String, service: String = "hello", address: IPv4Address = IPv4Address(10, 77, 0, 10)) -> DomainSpec {
        DomainSpec(
            name: "summoner-\(id)", metadata: DomainMetadata(service: service, instanceID: id, address: address),
            kernelPath: "/k", commandLine: GuestCommandLine(instanceID: id), memoryMiB: 32, vcpus: 1,
            serialLogPath: "/s", bridge: "b", macAddress: "m", accelerator: .tcg)
    }

    @Test func domainsFromAnEarlierRunAreAdoptedAndTheRestDestroyed() async {
        hypervisor.adoptRunning(leftover("hello-7"))
        hypervisor.adoptRunning(leftover("hello-8"))
        hypervisor.adoptRunning(leftover("gone-1", service: "gone"))
        await manager.adoptExisting()
        #expect(await eventually { hypervisor.runningNames == ["summoner-hello-7"] })
        #expect(await manager.counters.adopted == 1)
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        #expect(hypervisor.started.isEmpty, "an adopted instance answers without a boot")
    }

    @Test func aMissingImageFailsTheLookupWithoutCallingTheHypervisor() async throws {
        let broken = try ManagerHarness { $0.services["hello"]?.image = "missing" }
        #expect(await broken.manager.resolve(service: "hello") == .failure)
        #expect(broken.hypervisor.started.isEmpty)
    }
}

/// The manager with a warm pool of one paused domain per service.
@Suite("Instance manager with a warm pool")
struct InstanceManagerPoolTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness(pool: 1) }

    @Test func aLookupResumesThePausedDomainAndThePoolIsRefilledAfterwards() async {
        await manager.tick()
        #expect(await eventually { hypervisor.pausedNames == ["summoner-hello-1", "summoner-web-2"] })
        #expect(await eventually { await manager.snapshot().filter { $0.state == .pooled }.count == 2 })

        async let answer = manager.resolve(service: "hello")
        #expect(await eventually { readiness.waitingIDs == ["hello-1"] })
        #expect(hypervisor.resumed == ["summoner-hello-1"])
        #expect(hypervisor.started.filter { $0.name.hasPrefix("summoner-hello") }.count == 1, "no create on the lookup")
        readiness.markReady("hello-1")
        #expect(await answer == .address(IPv4Address(10, 77, 0, 10), ttl: 5))

        await manager.tick()
        #expect(await eventually { hypervisor.pausedNames.contains("summoner-hello-3") })
        let counters = await manager.counters
        #expect(counters.poolResumes == 1)
        #expect(counters.coldBoots == 0)
        #expect(counters.poolCreates == 3)
    }

    @Test func aFailedResumeFailsTheLookup() async {
        await manager.tick()
        #expect(await eventually { await manager.snapshot().filter { $0.state == .pooled }.count == 2 })
        hypervisor.crash(domainName: "summoner-hello-1")  // gone, but the event is not consumed here
        #expect(await manager.resolve(service: "hello") == .failure)
    }
}

@Suite("Instance manager start-up")
struct InstanceManagerStartupTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness() }

    @Test func lookupsWaitForAdoptionSoTheyNeverDuplicateADomain() async throws {
        await manager.holdLookupsUntilAdopted()
        hypervisor.adoptRunning(
            DomainSpec(
                name: "summoner-hello-3",
                metadata: DomainMetadata(service: "hello", instanceID: "hello-3", address: IPv4Address(10, 77, 0, 10)),
                kernelPath: "/k", commandLine: GuestCommandLine(instanceID: "hello-3"), memoryMiB: 32, vcpus: 1,
                serialLogPath: "/s", bridge: "b", macAddress: "m", accelerator: .tcg))
        async let answer = manager.resolve(service: "hello")
        try await Task.sleep(for: .milliseconds(30))
        #expect(hypervisor.started.isEmpty, "a held lookup boots nothing")
        await manager.adoptExisting()
        #expect(await answer == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        #expect(hypervisor.started.isEmpty, "answered by the adopted instance")
    }
}

@Suite("Instance manager across a lost libvirt connection")
struct InstanceManagerReconnectTests: ManagerHarnessSuite {
    let harness: ManagerHarness

    init() throws { harness = try ManagerHarness() }

    @Test func whileDisconnectedABootFailsAtOnceAndLiveInstancesStillAnswer() async {
        let events = Task { await manager.runEventLoop() }
        defer { events.cancel() }
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        hypervisor.disconnect()
        #expect(await eventually { await manager.hypervisorConnected == false })
        #expect(await manager.resolve(service: "web") == .failure, "no hang: the create fails at once")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
    }

    @Test func afterReconnectingVanishedDomainsAreForgottenAndUnknownOnesAdopted() async {
        let events = Task { await manager.runEventLoop() }
        defer { events.cancel() }
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        hypervisor.disconnect()
        hypervisor.vanish(domainName: "summoner-hello-1")
        hypervisor.adoptRunning(
            DomainSpec(
                name: "summoner-web-9", metadata: DomainMetadata(service: "web", instanceID: "web-9", address: IPv4Address(10, 77, 0, 11)),
                kernelPath: "/k", commandLine: GuestCommandLine(instanceID: "web-9"), memoryMiB: 32, vcpus: 1,
                serialLogPath: "/s", bridge: "b", macAddress: "m", accelerator: .tcg))
        hypervisor.reconnect()
        #expect(await eventually { await manager.snapshot().map(\.id) == ["web-9"] })
        #expect(await manager.hypervisorConnected)
        #expect(await manager.resolve(service: "web") == .address(IPv4Address(10, 77, 0, 11), ttl: 30))
    }
}

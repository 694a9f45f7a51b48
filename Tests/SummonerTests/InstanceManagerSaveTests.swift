import Foundation
import GuestStack
import SummonerTestSupport
import Testing
import VMLauncher

@testable import Summoner

/// Stop mode `save` through the manager: state files on disk, restore, failures and adoption.
@Suite("Instance manager: stop mode save")
struct InstanceManagerSaveTests: ManagerHarnessSuite {
    let harness: ManagerHarness
    let hello = InstanceManager<ManualClock>.Resolution.address(IPv4Address(10, 77, 0, 10), ttl: 5)

    init() throws {
        // A state directory of its own: tests run in parallel.
        let state = ImageFixture.directory + "/state-\(UUID().uuidString)"
        harness = try ManagerHarness {
            $0.services["hello"]?.stopMode = .save
            $0.stateDirectory = state
        }
    }

    var statePath: String { config.stateDirectory + "/saved/hello-1.save" }

    /// Boots hello-1, lets it go idle and waits until it is saved.
    func summonAndSave() async {
        readiness.markReady("hello-1")
        #expect(await manager.resolve(service: "hello") == hello)
        clock.advance(by: .seconds(10))
        await manager.tick()
        #expect(await eventually { await manager.snapshot().first?.state == .saved })
    }

    @Test func anIdleInstanceIsSavedToItsStateFileAndRestoredByTheNextLookup() async {
        await summonAndSave()
        #expect(hypervisor.savedPaths == [statePath])
        #expect(FileManager.default.fileExists(atPath: statePath))
        #expect(hypervisor.runningNames.isEmpty, "a saved instance has no domain")
        #expect(hypervisor.stopped.isEmpty, "saving is not destroying")

        #expect(await manager.resolve(service: "hello") == hello)
        #expect(hypervisor.restored == [statePath])
        #expect(hypervisor.runningNames == ["summoner-hello-1"])
        #expect(hypervisor.started.count == 1, "the restore booted nothing new")
        #expect(!FileManager.default.fileExists(atPath: statePath), "the state file is removed once restored")
        let counters = await manager.counters
        #expect(counters.saves == 1 && counters.restores == 1 && counters.boots == 2)
        #expect(await manager.snapshot().map(\.mode) == ["restore"])
    }

    @Test func aFailedSaveDestroysTheInstanceAndLeavesNoFile() async {
        hypervisor.failSaves(with: .operationFailed(operation: "save", domain: "summoner-hello-1", code: 38, message: "No space left on device"))
        readiness.markReady("hello-1")
        _ = await manager.resolve(service: "hello")
        _ = FileManager.default.createFile(atPath: statePath, contents: Data("partial".utf8))
        clock.advance(by: .seconds(10))
        await manager.tick()
        #expect(await eventually { await manager.snapshot().isEmpty })
        #expect(hypervisor.stopped == ["summoner-hello-1"])
        #expect(!FileManager.default.fileExists(atPath: statePath))
        #expect(await manager.counters.saveFailures == 1)
    }

    @Test func stoppingASavedInstanceDeletesItsStateFile() async {
        await summonAndSave()
        #expect(await manager.stop("hello"))
        #expect(await eventually { await manager.snapshot().isEmpty })
        #expect(!FileManager.default.fileExists(atPath: statePath))
    }

    @Test func aCrashedDomainsStoppedEventDuringASaveIsNotTakenForACrash() async {
        await summonAndSave()
        await manager.handle(DomainEvent(domainName: "summoner-hello-1", kind: .stopped))
        #expect(await manager.snapshot().map(\.state) == [.saved])
    }

    func spec(_ id: String, address: IPv4Address = IPv4Address(10, 77, 0, 10)) -> DomainSpec {
        DomainSpec(
            name: "summoner-\(id)", metadata: DomainMetadata(service: "hello", instanceID: id, address: address),
            kernelPath: "/k", commandLine: GuestCommandLine(instanceID: id), memoryMiB: 32, vcpus: 1, serialLogPath: "/s",
            bridge: "b", macAddress: "m", accelerator: .tcg)
    }

    /// After a restart: a saved instance is adopted, one whose instance also runs is stale, a
    /// file that is not ours and one whose name lies are deleted.
    @Test func stateFilesOfAnEarlierRunAreAdoptedOrDeleted() async throws {
        let dir = config.stateDirectory + "/saved"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        hypervisor.adoptSaved(spec("hello-4"), at: dir + "/hello-4.save")
        hypervisor.adoptSaved(spec("hello-5", address: IPv4Address(10, 77, 0, 99)), at: dir + "/hello-5.save")
        hypervisor.adoptSaved(spec("hello-6"), at: dir + "/renamed.save")
        _ = FileManager.default.createFile(atPath: dir + "/junk.save", contents: Data("junk".utf8))
        await manager.adoptExisting()
        #expect(await manager.snapshot().map(\.id) == ["hello-4"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["hello-4.save"])
        #expect(await manager.resolve(service: "hello") == hello)
        #expect(hypervisor.restored == [dir + "/hello-4.save"])
    }

    @Test func aRunningInstanceMakesItsOldStateFileStale() async throws {
        let dir = config.stateDirectory + "/saved"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        hypervisor.adoptRunning(spec("hello-3"))
        hypervisor.adoptSaved(spec("hello-3"), at: dir + "/hello-3.save")
        await manager.adoptExisting()
        #expect(await manager.snapshot().map(\.state) == [.ready])
        #expect(hypervisor.runningNames == ["summoner-hello-3"], "the running instance is not destroyed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}

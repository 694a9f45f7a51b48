import GuestStack
import Testing
import VMLauncher

@testable import Summoner

@Suite("Instance table: stop mode save")
struct InstanceTableSaveTests {
    let policy = Table.ServicePolicy(
        address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2), stopMode: .save)
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    func readyInstance() -> Table { tableWithReadyInstance(policy: policy) }

    /// A table whose instance was reaped and saved.
    func savedInstance() -> Table {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        _ = table.saved(instanceID: "hello-1", policy: policies, now: at(10.4))
        return table
    }

    @Test func anIdleInstanceIsSavedNotDestroyed() {
        var table = readyInstance()
        let actions = table.tick(now: at(10.1), policy: policies)
        guard case .save(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected one save, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(table.instances["hello-1"]?.state == .saving)
        #expect(table.saved(instanceID: "hello-1", policy: policies, now: at(10.4)).isEmpty)
        #expect(table.instances["hello-1"]?.state == .saved)
        #expect(table.tick(now: at(100), policy: policies).isEmpty, "a saved instance is not reaped again")
    }

    @Test func theNextLookupRestoresTheSameInstance() {
        var table = savedInstance()
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(20))
        #expect(outcome == .wait)
        guard case .restore(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected a restore, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(record.mode == .restore)
        #expect(table.ready(instanceID: "hello-1", now: at(20.5)) == [.releaseWaiters(service: "hello", address: policy.address)])
    }

    /// A lookup during the save waits for it and then restores: never a second instance on the
    /// same address, never a restore of a half-written file.
    @Test func aLookupDuringTheSaveRestoresOnceItIsDone() {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(10.2))
        #expect(outcome == .wait)
        #expect(actions.isEmpty)
        guard case .restore(let record)? = table.saved(instanceID: "hello-1", policy: policies, now: at(10.4)).first else {
            Issue.record("expected the restore once the save finished")
            return
        }
        #expect(record.id == "hello-1")
    }

    @Test func aFailedSaveDestroysTheInstanceAndAWaitingLookupGetsAFreshOne() throws {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        _ = table.lookup(service: "hello", policy: policy, now: at(10.2))
        #expect(table.saveFailed(instanceID: "hello-1") == [.destroy(domainName: "summoner-hello-1", reason: .idle)])
        let after = table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(10.5))
        #expect(try #require(createdRecord(after, paused: false)).id == "hello-2")
    }

    @Test func aRestoreThatNeverReachedTheHypervisorLeavesTheInstanceSaved() {
        var table = savedInstance()
        _ = table.lookup(service: "hello", policy: policy, now: at(20))
        #expect(table.resumeNotAttempted(instanceID: "hello-1") == [.failWaiters(service: "hello")])
        #expect(table.instances["hello-1"]?.state == .saved)
    }

    @Test func aRestoreOverTheBootTimeoutIsDestroyed() {
        var table = savedInstance()
        _ = table.lookup(service: "hello", policy: policy, now: at(20))
        let actions = table.tick(now: at(22), policy: policies)
        #expect(actions == [.failWaiters(service: "hello"), .destroy(domainName: "summoner-hello-1", reason: .bootTimeout)])
    }

    @Test func theOperatorCanStopASavedInstance() {
        var table = savedInstance()
        #expect(table.stop(serviceOrInstance: "hello") == [.destroy(domainName: "summoner-hello-1", reason: .operatorRequest)])
    }

    @Test func savedStatesAreAdoptedUnlessTheAddressIsHeld() {
        var table = Table()
        let metadata = { (id: String) in DomainMetadata(service: "hello", instanceID: id, address: IPv4Address(10, 77, 0, 10)) }
        let first = table.adoptSaved(metadata: metadata("hello-4"), domainName: "summoner-hello-4", policy: policy, now: at(0))
        #expect(first)
        #expect(table.instances["hello-4"]?.state == .saved)
        #expect(table.nextSerial == 5, "serials continue after an adopted saved instance")
        let second = table.adoptSaved(metadata: metadata("hello-5"), domainName: "summoner-hello-5", policy: policy, now: at(0))
        #expect(!second, "one saved instance per service address")
        let again = table.adoptSaved(metadata: metadata("hello-4"), domainName: "summoner-hello-4", policy: policy, now: at(0))
        #expect(!again)

        var running = Table()
        _ = running.adopt(domainName: "summoner-hello-6", metadata: metadata("hello-6"), paused: false, policy: policy, now: at(0))
        let stale = running.adoptSaved(metadata: metadata("hello-3"), domainName: "summoner-hello-3", policy: policy, now: at(0))
        #expect(!stale, "a running instance wins: the state file is stale")

        var unconfigured = Table()
        let unknown = unconfigured.adoptSaved(metadata: metadata("hello-1"), domainName: "summoner-hello-1", policy: nil, now: at(0))
        #expect(!unknown)
    }
}

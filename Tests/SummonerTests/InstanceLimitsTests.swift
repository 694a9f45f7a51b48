import GuestStack
import SummonerTestSupport
import Testing

@testable import Summoner

@Suite("Instance table: limits")
struct InstanceLimitsTests {
    func policy(_ last: UInt8, pool: Int = 0) -> Table.ServicePolicy {
        Table.ServicePolicy(address: IPv4Address(10, 77, 0, last), idleTimeout: .seconds(10), bootTimeout: .seconds(2), poolSize: pool)
    }

    func creates(_ actions: [Table.Action]) -> [String] {
        actions.compactMap { if case .create(let record, _) = $0 { record.id } else { nil } }
    }

    @Test func beyondTheLiveCapASummonFailsAtOnce() {
        var table = Table()
        table.configure(services: ["a", "b", "c"], limits: InstanceLimits(maxLiveInstances: 2, maxConcurrentCreates: 8))
        #expect(creates(table.lookup(service: "a", policy: policy(10), now: at(0)).1) == ["a-1"])
        #expect(creates(table.lookup(service: "b", policy: policy(11), now: at(0)).1) == ["b-2"])
        let (outcome, actions) = table.lookup(service: "c", policy: policy(12), now: at(0))
        #expect(outcome == .wait)
        #expect(actions == [.failWaiters(service: "c")])
        #expect(table.instances.count == 2)
    }

    @Test func coldSummonsBeyondTheCreateCapQueueAndStartAsSlotsFree() {
        var table = Table()
        table.configure(services: ["a", "b", "c"], limits: InstanceLimits(maxLiveInstances: 10, maxConcurrentCreates: 1))
        #expect(creates(table.lookup(service: "a", policy: policy(10), now: at(0)).1) == ["a-1"])
        #expect(creates(table.lookup(service: "b", policy: policy(11), now: at(0)).1) == [], "queued")
        #expect(creates(table.lookup(service: "c", policy: policy(12), now: at(0)).1) == [], "queued")
        #expect(creates(table.created(instanceID: "a-1")) == ["b-2"])
        #expect(creates(table.createFailed(instanceID: "b-2", now: at(0.5))) == ["c-3"])
    }

    @Test func aQueuedSummonStillTimesOut() {
        var table = Table()
        let policies: (String) -> Table.ServicePolicy? = { $0 == "a" ? policy(10) : policy(11) }
        table.configure(services: ["a", "b"], limits: InstanceLimits(maxLiveInstances: 10, maxConcurrentCreates: 1))
        _ = table.lookup(service: "a", policy: policy(10), now: at(0))
        _ = table.lookup(service: "b", policy: policy(11), now: at(0))
        let actions = table.tick(now: at(2), policy: policies)
        #expect(actions.contains(.failWaiters(service: "b")))
        #expect(creates(table.created(instanceID: "a-1")) == [], "the timed-out summon is not started")
    }

    @Test func poolRefillsWaitForAFreeSlot() {
        var table = Table()
        let policies: (String) -> Table.ServicePolicy? = { name in
            ["a": policy(10, pool: 1), "b": policy(11, pool: 1), "c": policy(12, pool: 1)][name]
        }
        table.configure(services: ["a", "b", "c"], limits: InstanceLimits(maxLiveInstances: 10, maxConcurrentCreates: 2))
        #expect(creates(table.tick(now: at(0), policy: policies)) == ["a-1", "b-2"])
        #expect(creates(table.tick(now: at(0.1), policy: policies)) == [])
        _ = table.created(instanceID: "a-1")
        #expect(creates(table.tick(now: at(0.2), policy: policies)) == ["c-3"])
    }
}

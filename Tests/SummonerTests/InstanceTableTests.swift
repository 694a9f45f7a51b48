import GuestStack
import SummonerTestSupport
import Testing

@testable import Summoner

@Suite("Instance table state machine")
struct InstanceTableTests {
    typealias Table = InstanceTable<ManualClock.Instant>
    let policy = Table.ServicePolicy(address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2))
    func at(_ seconds: Double) -> ManualClock.Instant { ManualClock.Instant(offset: .milliseconds(Int64(seconds * 1000))) }
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    @Test func firstLookupBootsAndWaits() throws {
        var table = Table()
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(outcome == .wait)
        guard case .boot(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected one boot, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(record.domainName == "summoner-hello-1")
        #expect(record.state == .booting)
        #expect(record.bootDeadline == at(2))
    }

    @Test func lookupsDuringABootShareIt() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        for i in 1...9 {
            let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(Double(i) * 0.01))
            #expect(outcome == .wait)
            #expect(actions.isEmpty)
        }
        #expect(table.instances["hello"]?.lookups == 10)
    }

    @Test func readinessReleasesWaitersThenLookupsAnswerAtOnce() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.ready(instanceID: "hello-1", now: at(0.3)) == [.releaseWaiters(service: "hello", address: policy.address)])
        #expect(table.ready(instanceID: "hello-1", now: at(0.4)).isEmpty, "a second READY changes nothing")
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(1))
        #expect(outcome == .answer(policy.address))
        #expect(actions.isEmpty)
    }

    @Test func idleIsCountedFromTheLastLookup() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.5))
        _ = table.lookup(service: "hello", policy: policy, now: at(5))
        #expect(table.tick(now: at(14.9), policy: policies).isEmpty)
        #expect(table.tick(now: at(15), policy: policies) == [.destroy(domainName: "summoner-hello-1", reason: .idle)])
        #expect(table.instances["hello"]?.state == .stopping)
        #expect(table.tick(now: at(16), policy: policies).isEmpty, "destroy is asked for once")
        #expect(table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(15.2)).isEmpty)
        #expect(table.instances.isEmpty)
    }

    @Test func aBootPastItsDeadlineFailsWaitersAndIsDestroyed() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.tick(now: at(1.99), policy: policies).isEmpty)
        #expect(
            table.tick(now: at(2), policy: policies) == [
                .failWaiters(service: "hello"), .destroy(domainName: "summoner-hello-1", reason: .bootTimeout),
            ])
        #expect(table.ready(instanceID: "hello-1", now: at(2.1)).isEmpty, "too late: READY after the timeout is ignored")
    }

    @Test func aFailedStartFailsWaiters() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(
            table.bootFailed(instanceID: "hello-1") == [
                .failWaiters(service: "hello"), .destroy(domainName: "summoner-hello-1", reason: .bootFailed),
            ])
    }

    @Test func aLookupWhileStoppingBootsAFreshInstanceOnceTheOldOneIsGone() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        _ = table.tick(now: at(20), policy: policies)
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(20.1))
        #expect(outcome == .wait)
        #expect(actions.isEmpty)
        let after = table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(20.2))
        guard case .boot(let record)? = after.first else {
            Issue.record("expected a boot, got \(after)")
            return
        }
        #expect(record.id == "hello-2")
    }

    @Test func aDomainThatDiesWhileBootingFailsItsWaiters() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(0.2)) == [.failWaiters(service: "hello")])
        #expect(table.instances.isEmpty)
    }

    @Test func stopAllStopsEveryLiveInstanceOnce() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        var other = policy
        other.address = IPv4Address(10, 77, 0, 11)
        _ = table.lookup(service: "web", policy: other, now: at(0))
        _ = table.ready(instanceID: "web-2", now: at(0.1))
        #expect(
            table.stopAll() == [
                .failWaiters(service: "hello"), .destroy(domainName: "summoner-hello-1", reason: .shutdown),
                .destroy(domainName: "summoner-web-2", reason: .shutdown),
            ])
        #expect(table.stopAll().isEmpty)
    }

    @Test func operatorStopFindsByServiceOrInstanceID() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        #expect(table.stop(serviceOrInstance: "nothing") == nil)
        #expect(table.stop(serviceOrInstance: "hello-1") == [.destroy(domainName: "summoner-hello-1", reason: .operatorRequest)])
        #expect(table.stop(serviceOrInstance: "hello") == [])
    }
}

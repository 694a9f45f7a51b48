import GuestStack
import SummonerTestSupport
import Testing
import VMLauncher

@testable import Summoner

typealias Table = InstanceTable<ManualClock.Instant>

func at(_ seconds: Double) -> ManualClock.Instant { ManualClock.Instant(offset: .milliseconds(Int64(seconds * 1000))) }

/// A table whose service `hello` has one ready instance, hello-1, ready at 0.1 s.
func tableWithReadyInstance(policy: Table.ServicePolicy) -> Table {
    var table = Table()
    _ = table.lookup(service: "hello", policy: policy, now: at(0))
    _ = table.created(instanceID: "hello-1")
    _ = table.ready(instanceID: "hello-1", now: at(0.1))
    return table
}

/// The first `.create` action's record, or nil.
func createdRecord(_ actions: [Table.Action], paused: Bool) -> Table.Record? {
    for case .create(let record, let isPaused) in actions where isPaused == paused { return record }
    return nil
}

@Suite("Instance table: cold summons")
struct InstanceTableColdTests {
    let policy = Table.ServicePolicy(address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2))
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    @Test func firstLookupCreatesARunningDomainAndWaits() throws {
        var table = Table()
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(outcome == .wait)
        #expect(actions.count == 1)
        let record = try #require(createdRecord(actions, paused: false))
        #expect(record.id == "hello-1")
        #expect(record.domainName == "summoner-hello-1")
        #expect(record.state == .booting)
        #expect(record.mode == .cold)
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
        #expect(table.live("hello")?.lookups == 10)
    }

    @Test func readinessReleasesWaitersThenLookupsAnswerAtOnce() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.created(instanceID: "hello-1").isEmpty)
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
        #expect(table.instances["hello-1"]?.state == .stopping)
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

    @Test func aFailedCreateFailsWaiters() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(
            table.createFailed(instanceID: "hello-1", now: at(0.1)) == [
                .failWaiters(service: "hello"), .destroy(domainName: "summoner-hello-1", reason: .bootFailed),
            ])
    }

    @Test func aLookupWhileStoppingSummonsAFreshInstanceOnceTheOldOneIsGone() throws {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        _ = table.tick(now: at(20), policy: policies)
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(20.1))
        #expect(outcome == .wait)
        #expect(actions.isEmpty, "the old instance still holds the address")
        let after = table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(20.2))
        #expect(try #require(createdRecord(after, paused: false)).id == "hello-2")
    }

    @Test func aDomainThatDiesWhileBootingFailsItsWaiters() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.stopped(domainName: "summoner-hello-1", policy: policies, now: at(0.2)) == [.failWaiters(service: "hello")])
        #expect(table.instances.isEmpty)
    }

    @Test func operatorStopFindsByServiceOrInstanceID() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        #expect(table.stop(serviceOrInstance: "nothing") == nil)
        #expect(table.stop(serviceOrInstance: "hello-1") == [.destroy(domainName: "summoner-hello-1", reason: .operatorRequest)])
        #expect(table.stop(serviceOrInstance: "hello-1") == [])
    }
}

@Suite("Instance table: warm pool")
struct InstanceTablePoolTests {
    let policy = Table.ServicePolicy(
        address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2), poolSize: 1)
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    func tableWithPooledDomain() -> Table {
        var table = Table()
        table.configure(services: ["hello"])
        _ = table.tick(now: at(0), policy: policies)
        _ = table.created(instanceID: "hello-1")
        return table
    }

    @Test func theFirstTickFillsThePoolWithAPausedDomain() throws {
        var table = Table()
        table.configure(services: ["hello", "unpooled"])
        let actions = table.tick(now: at(0), policy: policies)
        #expect(actions.count == 1)
        let record = try #require(createdRecord(actions, paused: true))
        #expect(record.state == .pooling)
        #expect(table.tick(now: at(0.1), policy: policies).isEmpty, "one pool create at a time")
        #expect(table.created(instanceID: "hello-1").isEmpty)
        #expect(table.instances["hello-1"]?.state == .pooled)
    }

    @Test func aLookupResumesThePooledDomain() throws {
        var table = tableWithPooledDomain()
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(1))
        #expect(outcome == .wait)
        guard case .resume(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected one resume, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(record.mode == .pool)
        #expect(record.bootDeadline == at(3))
    }

    @Test func thePoolIsRefilledOnlyOnceTheSummonedGuestIsReady() throws {
        var table = tableWithPooledDomain()
        _ = table.lookup(service: "hello", policy: policy, now: at(1))
        #expect(table.tick(now: at(1.1), policy: policies).isEmpty, "no refill while the summon boots")
        _ = table.ready(instanceID: "hello-1", now: at(1.01))
        let refill = table.tick(now: at(1.2), policy: policies)
        #expect(try #require(createdRecord(refill, paused: true)).id == "hello-2")
    }

    @Test func aSummonDuringThePoolCreateResumesItOnceCreated() {
        var table = Table()
        table.configure(services: ["hello"])
        _ = table.tick(now: at(0), policy: policies)
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(0.1))
        #expect(outcome == .wait)
        #expect(actions.isEmpty, "no second create: the pool domain is on its way")
        guard case .resume(let record)? = table.created(instanceID: "hello-1").first else {
            Issue.record("expected a resume once created")
            return
        }
        #expect(record.state == .booting)
    }

    @Test func aResumeThatNeverReachedTheHypervisorReturnsTheDomainToThePool() {
        var table = tableWithPooledDomain()
        _ = table.lookup(service: "hello", policy: policy, now: at(1))
        #expect(table.resumeNotAttempted(instanceID: "hello-1") == [.failWaiters(service: "hello")])
        #expect(table.instances["hello-1"]?.state == .pooled)
        guard case .resume? = table.lookup(service: "hello", policy: policy, now: at(2)).1.first else {
            Issue.record("the next lookup should resume the same pool domain")
            return
        }
    }

    @Test func aFailedPoolCreateBacksOff() {
        var table = Table()
        table.configure(services: ["hello"])
        _ = table.tick(now: at(0), policy: policies)
        #expect(table.createFailed(instanceID: "hello-1", now: at(0.3)).isEmpty)
        #expect(table.tick(now: at(1), policy: policies).isEmpty)
        #expect(createdRecord(table.tick(now: at(5.3), policy: policies), paused: true)?.id == "hello-2")
    }

    @Test func stopAllDestroysPoolMembersToo() {
        var table = tableWithPooledDomain()
        #expect(table.stopAll() == [.destroy(domainName: "summoner-hello-1", reason: .shutdown)])
        #expect(table.tick(now: at(9), policy: policies).isEmpty, "no refill after shutdown")
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(9))
        #expect(outcome == .wait)
        #expect(actions == [.failWaiters(service: "hello")], "no summon after shutdown")
    }
}

@Suite("Instance table: adoption")
struct InstanceTableAdoptionTests {
    let policy = Table.ServicePolicy(
        address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2), poolSize: 1)
    func metadata(_ id: String, address: IPv4Address = IPv4Address(10, 77, 0, 10)) -> DomainMetadata {
        DomainMetadata(service: "hello", instanceID: id, address: address)
    }

    @Test func runningAndPausedDomainsBecomeReadyAndPooled() {
        var table = Table()
        #expect(table.adopt(domainName: "summoner-hello-4", metadata: metadata("hello-4"), paused: false, policy: policy, now: at(0)).isEmpty)
        #expect(table.adopt(domainName: "summoner-hello-5", metadata: metadata("hello-5"), paused: true, policy: policy, now: at(0)).isEmpty)
        #expect(table.instances["hello-4"]?.state == .ready)
        #expect(table.instances["hello-4"]?.mode == .adopted)
        #expect(table.instances["hello-5"]?.state == .pooled)
        #expect(table.lookup(service: "hello", policy: policy, now: at(1)).0 == .answer(policy.address))
    }

    @Test func newIDsContinuePastAdoptedOnes() throws {
        var table = Table()
        table.configure(services: ["hello"])
        _ = table.adopt(domainName: "summoner-hello-9", metadata: metadata("hello-9"), paused: false, policy: policy, now: at(0))
        let refill = table.tick(now: at(0), policy: { _ in policy })
        #expect(try #require(createdRecord(refill, paused: true)).id == "hello-10")
    }

    @Test func whatCannotBeMappedIsDestroyed() {
        var table = Table()
        let destroy: (String) -> [Table.Action] = { [.destroy(domainName: $0, reason: .unknownDomain)] }
        #expect(table.adopt(domainName: "summoner-gone-1", metadata: metadata("gone-1"), paused: false, policy: nil, now: at(0)) == destroy("summoner-gone-1"))
        #expect(
            table.adopt(
                domainName: "summoner-hello-2", metadata: metadata("hello-2", address: IPv4Address(10, 77, 0, 99)), paused: false,
                policy: policy, now: at(0)) == destroy("summoner-hello-2"), "address no longer configured")
        #expect(table.adopt(domainName: "summoner-hello-3", metadata: metadata("hello-3"), paused: false, policy: policy, now: at(0)).isEmpty)
        #expect(
            table.adopt(domainName: "summoner-hello-4", metadata: metadata("hello-4"), paused: false, policy: policy, now: at(0))
                == destroy("summoner-hello-4"), "a second live instance would duplicate the address")
        #expect(table.adopt(domainName: "summoner-hello-5", metadata: metadata("hello-5"), paused: true, policy: policy, now: at(0)).isEmpty)
        #expect(
            table.adopt(domainName: "summoner-hello-6", metadata: metadata("hello-6"), paused: true, policy: policy, now: at(0))
                == destroy("summoner-hello-6"), "pool already full")
        #expect(table.adopt(domainName: "other-name", metadata: metadata("hello-7"), paused: false, policy: policy, now: at(0)) == destroy("other-name"))
    }

    /// A daemon that now gives guests IPv6 addresses cannot use a guest booted without one (it
    /// would answer AAAA for an address nobody serves), nor one with another.
    @Test func aGuestWithoutTheConfiguredIPv6AddressIsDestroyed() {
        var table = Table()
        var withIPv6 = policy
        withIPv6.network = GuestNetwork(
            prefixLength: 24, gateway: IPv4Address(10, 77, 0, 1),
            ipv6Prefix: IPv6Interface(address: IPv6Address("fd77::")!, prefixLength: 64))
        var carrying = metadata("hello-1")
        carrying.address6 = IPv6Address("fd77::a")
        var elsewhere = metadata("hello-2")
        elsewhere.address6 = IPv6Address("fd99::a")
        #expect(
            table.adopt(domainName: "summoner-hello-2", metadata: elsewhere, paused: false, policy: withIPv6, now: at(0))
                == [.destroy(domainName: "summoner-hello-2", reason: .unknownDomain)])
        #expect(
            table.adopt(domainName: "summoner-hello-3", metadata: metadata("hello-3"), paused: false, policy: withIPv6, now: at(0))
                == [.destroy(domainName: "summoner-hello-3", reason: .unknownDomain)])
        #expect(table.adopt(domainName: "summoner-hello-1", metadata: carrying, paused: false, policy: withIPv6, now: at(0)).isEmpty)
        var stale = metadata("hello-4")
        stale.address6 = IPv6Address("fd77::a")
        #expect(
            table.adopt(domainName: "summoner-hello-4", metadata: stale, paused: true, policy: policy, now: at(0))
                == [.destroy(domainName: "summoner-hello-4", reason: .unknownDomain)], "and an IPv6 guest once the prefix is gone")
        stale.address6 = nil
        #expect(table.adopt(domainName: "summoner-hello-4", metadata: stale, paused: true, policy: policy, now: at(0)).isEmpty)
    }
}

@Suite("Instance table: stop mode pause")
struct InstanceTablePauseTests {
    let policy = Table.ServicePolicy(
        address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2), stopMode: .pause)
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    func readyInstance() -> Table { tableWithReadyInstance(policy: policy) }

    @Test func anIdleInstanceIsSuspendedNotDestroyed() throws {
        var table = readyInstance()
        let actions = table.tick(now: at(10.1), policy: policies)
        guard case .suspend(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected one suspend, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(table.instances["hello-1"]?.state == .suspended)
        #expect(table.tick(now: at(100), policy: policies).isEmpty, "a suspended instance is not reaped again")
    }

    @Test func theNextLookupUnpausesTheSameInstance() {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(20))
        #expect(outcome == .wait)
        guard case .unpause(let record)? = actions.first else {
            Issue.record("expected an unpause, got \(actions)")
            return
        }
        #expect(record.id == "hello-1")
        #expect(record.mode == .unpause)
        #expect(table.ready(instanceID: "hello-1", now: at(20.01)) == [.releaseWaiters(service: "hello", address: policy.address)])
    }

    @Test func anUnpauseThatNeverReachedTheHypervisorLeavesTheInstanceSuspended() {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        _ = table.lookup(service: "hello", policy: policy, now: at(20))
        #expect(table.resumeNotAttempted(instanceID: "hello-1") == [.failWaiters(service: "hello")])
        #expect(table.instances["hello-1"]?.state == .suspended)
    }

    @Test func aFailedSuspendDestroysTheInstance() {
        var table = readyInstance()
        _ = table.tick(now: at(10.1), policy: policies)
        #expect(table.suspendFailed(instanceID: "hello-1") == [.destroy(domainName: "summoner-hello-1", reason: .idle)])
    }

    @Test func suspendedDomainsAreAdoptedAsSuspended() {
        var table = Table()
        let metadata = DomainMetadata(service: "hello", instanceID: "hello-4", address: IPv4Address(10, 77, 0, 10))
        #expect(table.adopt(domainName: "summoner-hello-4", metadata: metadata, paused: true, suspended: true, policy: policy, now: at(0)).isEmpty)
        #expect(table.instances["hello-4"]?.state == .suspended)
        guard case .unpause? = table.lookup(service: "hello", policy: policy, now: at(1)).1.first else {
            Issue.record("the adopted suspended instance should be unpaused, not booted")
            return
        }
    }
}

@Suite("Instance table: operator pause and resume")
struct InstanceTableOperatorPauseTests {
    let policy = Table.ServicePolicy(address: IPv4Address(10, 77, 0, 10), idleTimeout: .seconds(10), bootTimeout: .seconds(2))

    @Test func pauseSuspendsAReadyInstanceAndResumeWakesIt() {
        var table = Table()
        _ = table.lookup(service: "hello", policy: policy, now: at(0))
        #expect(table.pause(serviceOrInstance: "hello") == nil, "a booting instance cannot be paused")
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        guard case .suspend? = table.pause(serviceOrInstance: "hello")?.first else {
            Issue.record("expected a suspend")
            return
        }
        #expect(table.instances["hello-1"]?.state == .suspended)
        guard case .unpause(let record)? = table.resume(serviceOrInstance: "hello", policy: policy, now: at(5))?.first else {
            Issue.record("expected an unpause")
            return
        }
        #expect(record.lookups == 1, "an operator's resume is not a lookup")
        #expect(table.resume(serviceOrInstance: "hello", policy: policy, now: at(6)) == nil, "nothing suspended any more")
        #expect(table.stop(serviceOrInstance: "nothing") == nil)
    }
}

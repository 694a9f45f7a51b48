import GuestStack
import Testing
import VMLauncher

@testable import Summoner

/// Services with several addresses: each instance takes its own.
@Suite("Instance table: address sets")
struct InstanceTableAddressSetTests {
    let addresses = [IPv4Address(10, 77, 0, 20), IPv4Address(10, 77, 0, 21), IPv4Address(10, 77, 0, 22)]
    var policy: Table.ServicePolicy {
        Table.ServicePolicy(
            address: addresses[0], idleTimeout: .seconds(10), bootTimeout: .seconds(2), poolSize: 2, addresses: addresses)
    }
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    @Test func poolMembersTakeAddressesNoOtherInstanceHolds() throws {
        var table = Table()
        table.configure(services: ["hello"])
        let first = try #require(createdRecord(table.tick(now: at(0), policy: policies), paused: true))
        _ = table.created(instanceID: first.id)
        let second = try #require(createdRecord(table.tick(now: at(0.1), policy: policies), paused: true))
        #expect([first.address, second.address] == [addresses[0], addresses[1]])
        #expect(table.tick(now: at(0.2), policy: policies).isEmpty, "the pool is full")
    }

    /// With one address a new instance must wait until the old domain is gone; with several it
    /// takes another address at once.
    @Test func aLookupWhileTheOldInstanceStopsBootsOnAnotherAddressAtOnce() throws {
        var single = policy
        single.addresses = [addresses[0]]
        single.poolSize = 0
        var table = Table()
        _ = table.lookup(service: "hello", policy: single, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        _ = table.stop(serviceOrInstance: "hello")
        #expect(table.lookup(service: "hello", policy: single, now: at(0.2)).1.isEmpty, "one address: wait")

        var several = policy
        several.poolSize = 0
        var other = Table()
        _ = other.lookup(service: "hello", policy: several, now: at(0))
        _ = other.ready(instanceID: "hello-1", now: at(0.1))
        _ = other.stop(serviceOrInstance: "hello")
        let record = try #require(createdRecord(other.lookup(service: "hello", policy: several, now: at(0.2)).1, paused: false))
        #expect(record.address == addresses[1])
    }

    @Test func whenEveryAddressIsHeldTheSummonWaitsForOneToFree() throws {
        var two = policy
        two.addresses = Array(addresses.prefix(2))
        two.poolSize = 0
        var table = Table()
        _ = table.lookup(service: "hello", policy: two, now: at(0))
        _ = table.ready(instanceID: "hello-1", now: at(0.1))
        _ = table.stop(serviceOrInstance: "hello")
        _ = table.lookup(service: "hello", policy: two, now: at(0.2))
        _ = table.ready(instanceID: "hello-2", now: at(0.3))
        _ = table.stop(serviceOrInstance: "hello")
        #expect(table.lookup(service: "hello", policy: two, now: at(0.4)).1.isEmpty)
        let after = table.stopped(domainName: "summoner-hello-1", policy: { _ in two }, now: at(0.5))
        #expect(try #require(createdRecord(after, paused: false)).address == addresses[0])
    }

    @Test func adoptionKeepsOneInstancePerAddress() {
        var table = Table()
        let metadata = { (id: String, address: IPv4Address) in DomainMetadata(service: "hello", instanceID: id, address: address) }
        #expect(table.adopt(domainName: "summoner-hello-1", metadata: metadata("hello-1", addresses[1]), paused: true, policy: policy, now: at(0)).isEmpty)
        #expect(
            table.adopt(domainName: "summoner-hello-2", metadata: metadata("hello-2", addresses[1]), paused: true, policy: policy, now: at(0))
                == [.destroy(domainName: "summoner-hello-2", reason: .unknownDomain)], "the address is taken")
        #expect(
            table.adopt(domainName: "summoner-hello-3", metadata: metadata("hello-3", IPv4Address(10, 77, 0, 99)), paused: true, policy: policy, now: at(0))
                == [.destroy(domainName: "summoner-hello-3", reason: .unknownDomain)], "not one of the service's addresses")
        #expect(table.adopt(domainName: "summoner-hello-4", metadata: metadata("hello-4", addresses[2]), paused: false, policy: policy, now: at(0)).isEmpty)
    }
}

/// `pool_state = "booted"`: pool members boot until ready, are parked, and a summon resumes a
/// guest that already serves.
@Suite("Instance table: booted pool")
struct InstanceTableBootedPoolTests {
    let addresses = [IPv4Address(10, 77, 0, 20), IPv4Address(10, 77, 0, 21)]
    var policy: Table.ServicePolicy {
        Table.ServicePolicy(
            address: addresses[0], idleTimeout: .seconds(10), bootTimeout: .seconds(2), poolSize: 1, addresses: addresses,
            bootedPool: true)
    }
    func policies(_ name: String) -> Table.ServicePolicy? { name == "hello" ? policy : nil }

    /// A table whose pool member hello-1 is created running and has not announced readiness yet.
    func booting() throws -> Table {
        var table = Table()
        table.configure(services: ["hello"])
        let record = try #require(createdRecord(table.tick(now: at(0), policy: policies), paused: false), "created running")
        #expect(record.state == .pooling && record.poolBoot)
        #expect(table.created(instanceID: "hello-1").isEmpty)
        #expect(table.instances["hello-1"]?.state == .pooling, "not pooled before it is ready and parked")
        return table
    }

    func parked() throws -> Table {
        var table = try booting()
        guard case .park(let record)? = table.ready(instanceID: "hello-1", now: at(0.3)).first else {
            Issue.record("expected a park once the pool member is ready")
            return table
        }
        #expect(record.id == "hello-1")
        #expect(table.parked(instanceID: "hello-1").isEmpty)
        #expect(table.instances["hello-1"]?.state == .pooled)
        return table
    }

    @Test func aLookupResumesTheParkedGuestWhichIsReadyAtOnce() throws {
        var table = try parked()
        let (outcome, actions) = table.lookup(service: "hello", policy: policy, now: at(5))
        #expect(outcome == .wait)
        guard case .unpause(let record)? = actions.first, actions.count == 1 else {
            Issue.record("expected an unpause, got \(actions)")
            return
        }
        #expect(record.mode == .pool)
        #expect(table.ready(instanceID: "hello-1", now: at(5.004)) == [.releaseWaiters(service: "hello", address: addresses[0])])
        let refill = try #require(createdRecord(table.tick(now: at(5.1), policy: policies), paused: false))
        #expect(refill.address == addresses[1] && refill.poolBoot)
    }

    @Test func aLookupDuringThePoolMembersBootMakesItTheLiveInstance() throws {
        var table = try booting()
        #expect(table.lookup(service: "hello", policy: policy, now: at(0.1)).1.isEmpty)
        #expect(table.ready(instanceID: "hello-1", now: at(0.3)) == [.releaseWaiters(service: "hello", address: addresses[0])],
                "answered, not parked")
    }

    @Test func aLookupWhileItIsBeingParkedResumesItOnceParked() throws {
        var table = try booting()
        _ = table.ready(instanceID: "hello-1", now: at(0.3))
        #expect(table.lookup(service: "hello", policy: policy, now: at(0.31)).1.isEmpty)
        guard case .unpause(let record)? = table.parked(instanceID: "hello-1").first else {
            Issue.record("expected the claimed member to be resumed")
            return
        }
        #expect(record.id == "hello-1" && record.state == .booting)
    }

    @Test func aPoolMemberThatNeverGetsReadyIsDestroyed() throws {
        var table = try booting()
        #expect(table.tick(now: at(2.1), policy: policies) == [.destroy(domainName: "summoner-hello-1", reason: .bootTimeout)])
    }

    @Test func aFailedParkDestroysThePoolMember() throws {
        var table = try booting()
        _ = table.ready(instanceID: "hello-1", now: at(0.3))
        #expect(table.parkFailed(instanceID: "hello-1", now: at(0.4)) == [.destroy(domainName: "summoner-hello-1", reason: .bootFailed)])
    }

    @Test func parkedDomainsAreAdoptedAsBootedPoolMembers() {
        var table = Table()
        let metadata = DomainMetadata(service: "hello", instanceID: "hello-4", address: addresses[1])
        #expect(table.adopt(domainName: "summoner-hello-4", metadata: metadata, paused: true, parked: true, policy: policy, now: at(0)).isEmpty)
        guard case .unpause? = table.lookup(service: "hello", policy: policy, now: at(1)).1.first else {
            Issue.record("an adopted parked member should be resumed ready, not booted")
            return
        }
    }
}

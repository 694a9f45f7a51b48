import GuestStack
import VMLauncher

/// The pure core of the summoner: which instances exist, in which state, and what to do next.
///
/// It performs no I/O and reads no clock: every event carries `now`, and every decision comes
/// back as a list of `Action`s for the `InstanceManager` actor to carry out. Each service has at
/// most one live instance (booting or ready) and up to `poolSize` warm-pool domains, created
/// paused or booted until ready and parked; a lookup resumes a pool member when there is one,
/// which is what makes a summon take milliseconds instead of libvirt's few hundred for a create
/// (DESIGN.md). Idle instances are destroyed, suspended, saved or asked to shut down, per
/// service (`StopMode`). Instances take the service's address, or with several one of their own.
public struct InstanceTable<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public typealias Record = InstanceRecord<Instant>

    /// What the caller must do after an event.
    public enum Action: Sendable, Equatable {
        /// Create the domain: running for a cold summon, paused for the pool. Report back with
        /// `created` or `createFailed`; for a running create also start watching readiness.
        case create(Record, paused: Bool)
        /// Resume this paused pool domain and watch for readiness.
        case resume(Record)
        /// Suspend this booted pool member, whose guest just became ready, so that it waits in
        /// the pool serving-ready; report `parked` or `parkFailed`.
        case park(Record)
        /// Suspend this idle instance in memory (stop mode `pause`).
        case suspend(Record)
        /// Resume this suspended instance or parked pool member; it serves as soon as the call
        /// returns (report `ready`).
        case unpause(Record)
        /// Save this idle instance to its state file (stop mode `save`); report `saved` or
        /// `saveFailed`.
        case save(Record)
        /// Restore this saved instance from its state file; it serves as soon as the call returns
        /// (report `ready`).
        case restore(Record)
        /// Destroy this domain; report back with `stopped`.
        case destroy(domainName: String, reason: StopReason)
        /// Ask this idle instance's guest to stop, and destroy the domain if it is still there
        /// after the service's shutdown timeout (stop mode `shutdown`); report back with `stopped`.
        case shutdown(Record)
        /// Answer every lookup waiting on `service` with `address`.
        case releaseWaiters(service: String, address: IPv4Address)
        /// Answer every lookup waiting on `service` with a server failure.
        case failWaiters(service: String)
    }

    /// What a lookup gets right now.
    public enum LookupOutcome: Sendable, Equatable {
        /// The instance is ready: answer with this address.
        case answer(IPv4Address)
        /// Wait until a `releaseWaiters` or `failWaiters` action for the service.
        case wait
    }

    /// The per-service settings the table needs.
    public struct ServicePolicy: Sendable, Equatable {
        /// The first of `addresses`.
        public var address: IPv4Address
        /// Every address the service's instances may take (see `freeAddress`).
        public var addresses: [IPv4Address]
        /// Pool members are booted until ready and parked, instead of created paused.
        public var bootedPool: Bool
        public var idleTimeout: Duration
        public var bootTimeout: Duration
        /// Paused domains kept ready to resume.
        public var poolSize: Int
        /// What happens to an idle instance.
        public var stopMode: StopMode
        /// Stop mode `shutdown`: how long the guest has to end before it is destroyed.
        public var shutdownTimeout: Duration
        /// Guest networking, for the IPv6 address an adopted domain must carry (none without
        /// an IPv6 prefix, or without this).
        public var network: GuestNetwork?

        public init(
            address: IPv4Address, idleTimeout: Duration, bootTimeout: Duration, poolSize: Int = 0,
            stopMode: StopMode = .destroy, shutdownTimeout: Duration = .seconds(2), addresses: [IPv4Address]? = nil,
            bootedPool: Bool = false, network: GuestNetwork? = nil
        ) {
            self.network = network
            self.shutdownTimeout = shutdownTimeout
            self.addresses = addresses ?? [address]
            self.bootedPool = bootedPool
            self.address = address
            self.idleTimeout = idleTimeout
            self.bootTimeout = bootTimeout
            self.poolSize = poolSize
            self.stopMode = stopMode
        }
    }

    /// Every known instance by instance id.
    public internal(set) var instances: [String: Record] = [:]
    /// Services whose live instance is stopping while lookups wait for a new one.
    var summonAfterStop: Set<String> = []
    /// A failed pool create is not retried before this time, so a broken image cannot spin.
    var refillNotBefore: [String: Instant] = [:]
    var nextSerial = 1
    /// Set by `stopAll`: a table that is shutting down never creates anything again.
    var shuttingDown = false
    /// Global caps; see `InstanceTable+Limits.swift`.
    public internal(set) var limits = InstanceLimits()
    /// Instances whose create was issued and has not finished.
    var creating: Set<String> = []
    /// Cold summons waiting for a create slot, oldest first.
    var createQueue: [String] = []
    /// How long a failed pool create waits before the next try.
    public static var refillBackoff: Duration { .seconds(5) }

    public init() {}

    // MARK: Queries

    /// The live (booting or ready) instance of a service.
    public func live(_ service: String) -> Record? {
        instances.values.first { $0.service == service && $0.state.isLive }
    }

    /// Records of one service in a given state, oldest first.
    func records(_ service: String, _ state: InstanceState) -> [Record] {
        instances.values.filter { $0.service == service && $0.state == state }.sorted { $0.id.serialOrder < $1.id.serialOrder }
    }

    func record(domainName: String) -> Record? { instances.values.first { $0.domainName == domainName } }

    // MARK: Lookups

    /// A lookup for `service`.
    public mutating func lookup(service: String, policy: ServicePolicy, now: Instant) -> (LookupOutcome, [Action]) {
        if var record = live(service) {
            record.lookups += 1
            record.lastLookup = now
            instances[record.id] = record
            return record.state == .ready ? (.answer(record.address), []) : (.wait, [])
        }
        if shuttingDown { return (.wait, [.failWaiters(service: service)]) }
        let oldInstanceStopping = !records(service, .stopping).filter({ $0.summonedAt != nil }).isEmpty
        if (oldInstanceStopping && policy.addresses.count == 1) || !records(service, .saving).isEmpty {
            // The old instance still holds the only address (or is being saved): summon once it
            // is gone (or saved, and then restore it).
            summonAfterStop.insert(service)
            return (.wait, [])
        }
        return (.wait, summon(service: service, policy: policy, now: now))
    }

    /// Starts a summon, cheapest first: unpause a suspended instance, restore a saved one, resume
    /// a pool member (a parked booted one is ready at once), take over one still being created or
    /// booted, or create a domain cold.
    mutating func summon(service: String, policy: ServicePolicy, now: Instant) -> [Action] {
        guard liveCount < limits.maxLiveInstances else { return [.failWaiters(service: service)] }
        if var suspended = records(service, .suspended).first {
            suspended.startBoot(mode: .unpause, now: now, timeout: policy.bootTimeout)
            instances[suspended.id] = suspended
            return [.unpause(suspended)]
        }
        if var saved = records(service, .saved).first {
            saved.startBoot(mode: .restore, now: now, timeout: policy.bootTimeout)
            instances[saved.id] = saved
            return [.restore(saved)]
        }
        if var pooled = records(service, .pooled).first {
            pooled.startBoot(mode: .pool, now: now, timeout: policy.bootTimeout)
            instances[pooled.id] = pooled
            // A parked member's guest already serves: it is ready once resumed.
            return [pooled.poolBoot ? .unpause(pooled) : .resume(pooled)]
        }
        if var pooling = records(service, .pooling).first {
            // Still being created (resume it once it exists), booting towards the pool (it is
            // the live instance now, ready when its guest is), or being parked (resume it then).
            pooling.resumeWhenCreated = !pooling.poolBoot || pooling.parking
            pooling.startBoot(mode: .pool, now: now, timeout: policy.bootTimeout)
            instances[pooling.id] = pooling
            return []
        }
        guard liveCount < limits.maxLiveInstances else { return [.failWaiters(service: service)] }
        guard var record = newRecord(service: service, policy: policy, now: now, state: .booting) else {
            // Every address is held by an instance on its way out: summon once one is gone.
            summonAfterStop.insert(service)
            return []
        }
        record.startBoot(mode: .cold, now: now, timeout: policy.bootTimeout)
        instances[record.id] = record
        return issueCreate(record, paused: false)
    }

    // MARK: Hypervisor and guest events

    /// A create finished.
    public mutating func created(instanceID: String) -> [Action] {
        let next = createFinished(instanceID)
        guard var record = instances[instanceID] else { return next }
        if record.state == .pooling && !record.poolBoot {
            record.state = .pooled
            instances[instanceID] = record
        } else if record.state == .booting && record.resumeWhenCreated && !record.poolBoot {
            record.resumeWhenCreated = false
            instances[instanceID] = record
            return [.resume(record)] + next
        }
        return next
    }

    /// A create or resume failed.
    public mutating func createFailed(instanceID: String, now: Instant) -> [Action] {
        let next = createFinished(instanceID)
        guard var record = instances[instanceID] else { return next }
        switch record.state {
        case .pooling:
            instances[instanceID] = nil
            refillNotBefore[record.service] = now.advanced(by: Self.refillBackoff)
            return next
        case .booting:
            record.state = .stopping
            instances[instanceID] = record
            refillNotBefore[record.service] = now.advanced(by: Self.refillBackoff)
            return [.failWaiters(service: record.service), .destroy(domainName: record.domainName, reason: .bootFailed)]
                + next
        default:
            return next
        }
    }

    /// A resume, unpause or restore that never reached the hypervisor (its connection was down):
    /// the paused domain or the state file is intact, so the instance goes back to where it was
    /// (pooled, suspended or saved); the lookups waiting on it fail.
    public mutating func resumeNotAttempted(instanceID: String) -> [Action] {
        guard var record = instances[instanceID], record.state == .booting else { return [] }
        switch record.mode {
        case .pool: record.state = .pooled
        case .unpause: record.state = .suspended
        case .restore: record.state = .saved
        default: return []
        }
        record.mode = nil
        record.summonedAt = nil
        record.bootDeadline = nil
        record.lookups = 0
        instances[instanceID] = record
        return [.failWaiters(service: record.service)]
    }

    /// The guest of `instanceID` announced readiness.
    public mutating func ready(instanceID: String, now: Instant) -> [Action] {
        if var member = instances[instanceID], member.state == .pooling, member.poolBoot, !member.parking {
            member.parking = true
            member.bootDeadline = nil
            instances[instanceID] = member
            return [.park(member)]
        }
        guard var record = instances[instanceID], record.state == .booting else { return [] }
        record.state = .ready
        record.readyAt = now
        record.lastLookup = now
        record.bootDeadline = nil
        instances[instanceID] = record
        return [.releaseWaiters(service: record.service, address: record.address)]
    }

    /// The domain is gone (destroyed by us, or stopped or crashed on its own).
    public mutating func stopped(domainName: String, policy: (String) -> ServicePolicy?, now: Instant) -> [Action] {
        guard let record = record(domainName: domainName) else { return [] }
        instances[record.id] = nil
        var actions = createFinished(record.id)
        if record.state == .booting { actions.append(.failWaiters(service: record.service)) }
        if live(record.service) == nil, summonAfterStop.remove(record.service) != nil,
            let policy = policy(record.service)
        {
            actions += summon(service: record.service, policy: policy, now: now)
        }
        return actions
    }

    // MARK: Time

    /// Time passed: fail boots past their deadline, stop instances idle past their timeout, and
    /// refill pools (never while the service boots, so the refill does not slow the summon).
    public mutating func tick(now: Instant, policy: (String) -> ServicePolicy?) -> [Action] {
        var actions: [Action] = []
        for var record in instances.values.sorted(by: { $0.id.serialOrder < $1.id.serialOrder }) {
            if record.state == .booting, let deadline = record.bootDeadline, now >= deadline {
                record.state = .stopping
                createQueue.removeAll { $0 == record.id }
                actions.append(.failWaiters(service: record.service))
                actions.append(.destroy(domainName: record.domainName, reason: .bootTimeout))
                refillNotBefore[record.service] = now.advanced(by: Self.refillBackoff)
            } else if record.state == .pooling, record.poolBoot, let deadline = record.bootDeadline, now >= deadline {
                record.state = .stopping
                actions.append(.destroy(domainName: record.domainName, reason: .bootTimeout))
                refillNotBefore[record.service] = now.advanced(by: Self.refillBackoff)
            } else if record.state == .stopping, let deadline = record.shutdownDeadline, now >= deadline {
                record.shutdownDeadline = nil
                actions.append(.destroy(domainName: record.domainName, reason: .shutdownTimeout))
            } else if record.state == .ready, let policy = policy(record.service),
                now >= record.lastLookup.advanced(by: policy.idleTimeout)
            {
                switch policy.stopMode {
                case .pause:
                    record.state = .suspended
                    instances[record.id] = record
                    actions.append(.suspend(record))
                    continue
                case .save:
                    record.state = .saving
                    instances[record.id] = record
                    actions.append(.save(record))
                    continue
                case .shutdown:
                    record.state = .stopping
                    record.shutdownDeadline = now.advanced(by: policy.shutdownTimeout)
                    instances[record.id] = record
                    actions.append(.shutdown(record))
                    continue
                case .destroy:
                    break
                }
                record.state = .stopping
                actions.append(.destroy(domainName: record.domainName, reason: .idle))
            } else {
                continue
            }
            instances[record.id] = record
        }
        return actions + refill(now: now, policy: policy)
    }

    /// Pool creates needed now (one per service per tick), and pool members beyond `poolSize`
    /// destroyed (after a reload shrank it).
    private mutating func refill(now: Instant, policy: (String) -> ServicePolicy?) -> [Action] {
        guard !shuttingDown else { return [] }
        var shrink: [Action] = []
        for service in Set(instances.values.map(\.service)).sorted() {
            let size = policy(service)?.poolSize ?? 0
            let pooled = records(service, .pooled)
            let excess = pooled.count + records(service, .pooling).count - size
            for var record in pooled.reversed().prefix(max(0, excess)) {
                record.state = .stopping
                instances[record.id] = record
                shrink.append(.destroy(domainName: record.domainName, reason: .poolShrunk))
            }
        }
        let services = Set(instances.values.map(\.service)).union(refillCandidates)
        var actions: [Action] = []
        for service in services.sorted() {
            guard let policy = policy(service), policy.poolSize > 0 else { continue }
            if let notBefore = refillNotBefore[service], now < notBefore { continue }
            if live(service)?.state == .booting { continue }
            guard creating.count + createQueue.count < limits.maxConcurrentCreates else { break }
            let pool = instances.values.filter { $0.service == service && $0.state.isPool }.count
            guard pool < policy.poolSize else { continue }
            guard var record = newRecord(service: service, policy: policy, now: now, state: .pooling) else { continue }
            if policy.bootedPool {
                record.poolBoot = true
                record.bootDeadline = now.advanced(by: policy.bootTimeout)
            }
            instances[record.id] = record
            actions += issueCreate(record, paused: !policy.bootedPool)
        }
        return shrink + actions
    }

    /// Services that have a pool configured but no instance at all yet; set by `configure`.
    var refillCandidates: Set<String> = []

    /// Tells the table which services exist, so their pools are filled even before any lookup,
    /// and the global limits.
    public mutating func configure(services: [String], limits: InstanceLimits = InstanceLimits()) {
        refillCandidates = Set(services)
        self.limits = limits
    }

    /// A new instance of `service` with the next serial and a free address; nil when every
    /// address is held.
    mutating func newRecord(service: String, policy: ServicePolicy, now: Instant, state: InstanceState) -> Record? {
        guard let address = freeAddress(service, policy) else { return nil }
        let id = "\(service)-\(nextSerial)"
        nextSerial += 1
        return Record(
            id: id, service: service, address: address, domainName: DomainSpec.domainName(instanceID: id),
            state: state, createdAt: now, summonedAt: nil, mode: nil, readyAt: nil, lastLookup: now, bootDeadline: nil,
            lookups: 0, resumeWhenCreated: false)
    }
}

extension InstanceRecord {
    /// Marks the start of a boot caused by a lookup.
    mutating func startBoot(mode: SummonMode, now: Instant, timeout: Duration) {
        state = .booting
        self.mode = mode
        summonedAt = now
        lastLookup = now
        bootDeadline = now.advanced(by: timeout)
        lookups += 1
    }
}

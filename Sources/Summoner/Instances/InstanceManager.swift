import Foundation
import GuestStack
import KernelImage
import Logging
import VMLauncher

/// Carries out the `InstanceTable`'s decisions: creates, resumes and destroys domains, watches
/// readiness, and holds the lookups that wait for a boot. All state lives in this actor; the
/// hypervisor, readiness probe and clock are injected, so tests run it against fakes and a
/// manual clock.
public actor InstanceManager<C: Clock> where C.Duration == Duration {
    public typealias Table = InstanceTable<C.Instant>

    /// What a lookup for a service name finally gets.
    public enum Resolution: Sendable, Equatable {
        case address(IPv4Address, ttl: UInt32)
        /// No such service.
        case unknownService
        /// The boot failed or timed out.
        case failure
    }

    public internal(set) var config: SummonerConfig
    let hypervisor: any Hypervisor
    let readiness: any ReadinessProbe
    let clock: C
    var images: ImageStore
    let accelerator: Accelerator
    let logger: Logger
    let metrics: SummonerMetrics?
    /// Sends stop requests to guests (stop mode `shutdown`); nil without a readiness endpoint.
    let messenger: (any GuestMessenger)?
    /// The configured service names, for readers that must not wait on this actor.
    public nonisolated let zoneNames: ZoneNames
    /// The ready instances' answers, for DNS threads that must not wait on this actor.
    public nonisolated let liveAnswers = LiveAnswers()
    var table = Table()
    var waiters: [String: [CheckedContinuation<Resolution, Never>]] = [:]
    /// Set until start-up adoption is done, so that no lookup creates a duplicate of a domain
    /// that is about to be adopted.
    var holdingLookups = false
    var heldLookups: [CheckedContinuation<Void, Never>] = []
    /// The task creating or resuming each instance and then watching its readiness.
    var bootTasks: [String: Task<Void, Never>] = [:]
    /// Counters shown by `summonerctl status`.
    public internal(set) var counters = Counters()
    /// False while the hypervisor connection is down (lookups that need a boot fail at once).
    public internal(set) var hypervisorConnected = true

    public struct Counters: Sendable, Codable, Equatable {
        /// Summons that created a domain on the lookup.
        public var coldBoots = 0
        /// Summons that resumed a warm-pool domain.
        public var poolResumes = 0
        /// Domains created paused for the pool.
        public var poolCreates = 0
        public var bootFailures = 0
        public var reaped = 0
        public var adopted = 0
        /// Idle instances suspended (stop mode `pause`), and suspended ones resumed by a lookup.
        public var suspends = 0
        public var unpauses = 0
        /// Idle instances saved to a state file (stop mode `save`), saved ones restored by a
        /// lookup, and saves that failed (the instance was destroyed instead).
        public var saves = 0
        public var restores = 0
        public var saveFailures = 0

        /// Every summon, whatever its mode.
        public var boots: Int { coldBoots + poolResumes + unpauses + restores }
    }

    public init(
        config: SummonerConfig, hypervisor: any Hypervisor, readiness: any ReadinessProbe, clock: C,
        accelerator: Accelerator, logger: Logger, metrics: SummonerMetrics? = nil, messenger: (any GuestMessenger)? = nil
    ) {
        self.messenger = messenger
        self.config = config
        self.hypervisor = hypervisor
        self.readiness = readiness
        self.clock = clock
        self.images = ImageStore(directory: config.imagesDirectory)
        self.accelerator = accelerator
        self.logger = logger
        self.metrics = metrics
        self.zoneNames = ZoneNames(config.services.keys, network: config.network)
        table.configure(services: config.services.keys.sorted(), limits: config.limits)
    }

    // MARK: Lookups

    /// Resolves a service name, summoning an instance when none is live. Concurrent lookups for
    /// the same service share one boot; other services never wait on it.
    public func resolve(service name: String) async -> Resolution {
        if holdingLookups { await withCheckedContinuation { heldLookups.append($0) } }
        guard let service = config.services[name] else { return .unknownService }
        let (outcome, actions) = table.lookup(service: name, policy: policy(service), now: clock.now)
        switch outcome {
        case .answer(let address):
            return .address(address, ttl: service.ttl)
        case .wait:
            return await withCheckedContinuation { continuation in
                waiters[name, default: []].append(continuation)
                perform(actions)
            }
        }
    }

    /// A snapshot of every instance, pool members included, for the control API.
    public func snapshot() -> [InstanceSnapshot] {
        _ = syncLiveAnswers()
        let now = clock.now
        return table.instances.values.sorted { ($0.service, $0.id.serialOrder.number) < ($1.service, $1.id.serialOrder.number) }
            .map { record in
                InstanceSnapshot(
                    service: record.service, id: record.id, state: record.state, address: record.address.text,
                    address6: config.network.ipv6Address(for: record.address)?.text, domain: record.domainName,
                    mode: record.mode?.rawValue,
                    uptimeSeconds: seconds((record.summonedAt ?? record.createdAt).duration(to: now)),
                    idleSeconds: seconds(record.lastLookup.duration(to: now)), lookups: record.lookups)
            }
    }

    /// Refreshes the instance gauges (before a scrape).
    public func updateGauges() {
        let states = table.instances.values.map(\.state)
        metrics?.instances(live: states.filter(\.isLive).count, pooled: states.filter(\.isPool).count)
    }

    // MARK: Time and events

    /// Runs the reaper: every `interval`, fails overdue boots, stops idle instances, refills pools.
    public func runReaper(interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            tick()
        }
    }

    /// Applies the passage of time once (the reaper calls this; tests call it directly).
    public func tick() {
        // One locked step with the lookups answered outside the table: none is lost, and none
        // is answered with an instance this tick stops.
        perform(syncLiveAnswers { table, now in table.tick(now: now, policy: policyNamed) })
    }

    /// Consumes the hypervisor's lifecycle events until the stream ends.
    public func runEventLoop() async {
        for await event in hypervisor.events {
            handle(event)
        }
    }

    func handle(_ event: DomainEvent) {
        switch event.kind {
        case .hypervisorDisconnected:
            hypervisorConnected = false
            return
        case .hypervisorReconnected:
            hypervisorConnected = true
            Task { await self.reconcileAfterReconnect() }
            return
        case .stopped, .crashed:
            break
        default:
            return
        }
        if let record = table.record(domainName: event.domainName), record.state == .stopping, record.shutdownDeadline != nil {
            guestShutDown(record)
            return
        }
        // A domain being saved or saved ends as part of the save: that is no news.
        guard let record = table.record(domainName: event.domainName), record.state != .stopping,
            record.state != .saving, record.state != .saved
        else { return }
        logger.warning(
            "domain \(event.kind.rawValue) on its own",
            metadata: ["domain": "\(event.domainName)", "service": "\(record.service)", "instance": "\(record.id)"])
        bootTasks.removeValue(forKey: record.id)?.cancel()
        domainGone(event.domainName)
    }

    /// Suspends a ready instance (service name or instance id); false when there is none.
    public func pause(_ key: String) -> Bool {
        guard let actions = table.pause(serviceOrInstance: key) else { return false }
        perform(actions)
        return true
    }

    /// Resumes a suspended instance (service name or instance id); false when there is none.
    public func resume(_ key: String) -> Bool {
        let service = table.instances[key]?.service ?? key
        guard let actions = table.resume(serviceOrInstance: key, policy: policyNamed(service), now: clock.now) else {
            return false
        }
        perform(actions)
        return true
    }

    /// Stops an instance by service name or instance id; false when there is none.
    public func stop(_ key: String) -> Bool {
        guard let actions = table.stop(serviceOrInstance: key) else { return false }
        perform(actions)
        return true
    }

    // MARK: Carrying out actions

    func perform(_ actions: [Table.Action]) {
        for action in actions {
            switch action {
            case .create(let record, let paused): create(record, paused: paused)
            case .resume(let record): resume(record)
            case .park(let record): park(record)
            case .suspend(let record): suspend(record)
            case .unpause(let record): unpause(record)
            case .save(let record): save(record)
            case .restore(let record): restore(record)
            case .destroy(let name, let reason): destroy(name, reason: reason)
            case .shutdown(let record): shutdownGuest(record)
            case .releaseWaiters(let service, let address):
                let ttl = config.services[service]?.ttl ?? 0
                for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume(returning: .address(address, ttl: ttl)) }
            case .failWaiters(let service):
                for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume(returning: .failure) }
            }
        }
        _ = syncLiveAnswers()
    }

    func domainGone(_ domainName: String) {
        perform(table.stopped(domainName: domainName, policy: policyNamed, now: clock.now))
    }

    func policy(_ service: ServiceConfig) -> Table.ServicePolicy {
        Table.ServicePolicy(
            address: service.address, idleTimeout: service.idleTimeout, bootTimeout: service.bootTimeout,
            poolSize: service.poolSize, stopMode: service.stopMode, shutdownTimeout: service.shutdownTimeout,
            addresses: service.addresses, bootedPool: service.poolState == .booted, network: config.network)
    }

    func policyNamed(_ name: String) -> Table.ServicePolicy? {
        config.services[name].map(policy)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func milliseconds(_ duration: Duration) -> Double {
    (seconds(duration) * 10_000).rounded() / 10
}

import Foundation
import GuestStack
import KernelImage
import Logging
import VMLauncher

/// Carries out the `InstanceTable`'s decisions: boots and destroys domains, watches readiness,
/// and holds the lookups that wait for a boot. All state lives in this actor; the hypervisor,
/// readiness probe and clock are injected, so tests run it against fakes and a manual clock.
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

    private var config: SummonerConfig
    private let hypervisor: any Hypervisor
    private let readiness: any ReadinessProbe
    private let clock: C
    private let images: ImageStore
    private let accelerator: Accelerator
    private let logger: Logger
    private var table = Table()
    private var waiters: [String: [CheckedContinuation<Resolution, Never>]] = [:]
    private var readinessTasks: [String: Task<Void, Never>] = [:]
    /// Counters shown by `summonerctl status`.
    public private(set) var counters = Counters()

    public struct Counters: Sendable, Codable, Equatable {
        public var boots = 0
        public var bootFailures = 0
        public var reaped = 0
    }

    public init(
        config: SummonerConfig, hypervisor: any Hypervisor, readiness: any ReadinessProbe, clock: C,
        accelerator: Accelerator, logger: Logger
    ) {
        self.config = config
        self.hypervisor = hypervisor
        self.readiness = readiness
        self.clock = clock
        self.images = ImageStore(directory: config.imagesDirectory)
        self.accelerator = accelerator
        self.logger = logger
    }

    // MARK: Lookups

    /// Resolves a service name, booting an instance when none is live. Concurrent lookups for the
    /// same service share one boot; other services never wait on it.
    public func resolve(service name: String) async -> Resolution {
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

    /// A snapshot of every live instance, for the control API.
    public func snapshot() -> [InstanceSnapshot] {
        let now = clock.now
        return table.instances.values.sorted { $0.service < $1.service }.map { record in
            InstanceSnapshot(
                service: record.service, id: record.id, state: record.state, address: record.address.text,
                domain: record.domainName, uptimeSeconds: seconds(record.createdAt.duration(to: now)),
                idleSeconds: seconds(record.lastLookup.duration(to: now)), lookups: record.lookups)
        }
    }

    // MARK: Time and events

    /// Runs the reaper: every `interval`, fails overdue boots and stops idle instances.
    public func runReaper(interval: Duration = .milliseconds(100)) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            tick()
        }
    }

    /// Applies the passage of time once (the reaper calls this; tests call it directly).
    public func tick() {
        perform(table.tick(now: clock.now, policy: policyNamed))
    }

    /// Consumes the hypervisor's lifecycle events until the stream ends.
    public func runEventLoop() async {
        for await event in hypervisor.events {
            handle(event)
        }
    }

    func handle(_ event: DomainEvent) {
        guard event.kind == .stopped || event.kind == .crashed else { return }
        guard table.instances.values.contains(where: { $0.domainName == event.domainName }) else { return }
        logger.info("domain \(event.kind.rawValue)", metadata: ["domain": "\(event.domainName)"])
        domainGone(event.domainName)
    }

    /// Stops every instance and waits until their domains are destroyed (daemon shutdown).
    public func shutdown() async {
        readinessTasks.values.forEach { $0.cancel() }
        readinessTasks.removeAll()
        let ids = Dictionary(table.instances.values.map { ($0.domainName, $0.id) }, uniquingKeysWith: { a, _ in a })
        for action in table.stopAll() {
            guard case .destroy(let name, _) = action else {
                perform([action])
                continue
            }
            do {
                try await hypervisor.stop(domainName: name)
                if let id = ids[name] { try? FileManager.default.removeItem(atPath: serialLogPath(instanceID: id)) }
                logger.info("instance stopped", metadata: ["domain": "\(name)", "reason": "shutdown"])
            } catch {
                logger.error("cannot destroy domain at shutdown", metadata: ["domain": "\(name)", "error": "\(error)"])
            }
            domainGone(name)
        }
    }

    /// Stops an instance by service name or instance id; false when there is none.
    public func stop(_ key: String) -> Bool {
        guard let actions = table.stop(serviceOrInstance: key) else { return false }
        perform(actions)
        return true
    }

    /// Destroys domains that carry our metadata but that this process does not know (left by a
    /// previous run that was killed). Adoption replaces this once state survives restarts.
    public func destroyOrphans() async {
        do {
            let known = Set(table.instances.values.map(\.domainName))
            for domain in try await hypervisor.list() where !known.contains(domain.name) {
                logger.warning("destroying orphan domain from an earlier run", metadata: ["domain": "\(domain.name)"])
                try await hypervisor.stop(domainName: domain.name)
            }
        } catch {
            logger.error("cannot list or destroy orphan domains", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Carrying out actions

    private func perform(_ actions: [Table.Action]) {
        for action in actions {
            switch action {
            case .boot(let record): boot(record)
            case .destroy(let name, let reason): destroy(name, reason: reason)
            case .releaseWaiters(let service, let address):
                let ttl = config.services[service]?.ttl ?? 0
                for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume(returning: .address(address, ttl: ttl)) }
            case .failWaiters(let service):
                for waiter in waiters.removeValue(forKey: service) ?? [] { waiter.resume(returning: .failure) }
            }
        }
    }

    private func boot(_ record: Table.Record) {
        counters.boots += 1
        var log = logger
        log[metadataKey: "service"] = "\(record.service)"
        log[metadataKey: "instance"] = "\(record.id)"
        guard let service = config.services[record.service] else { return }
        let spec: DomainSpec
        do {
            spec = try domainSpec(for: record, service: service)
        } catch {
            log.error("cannot boot: \(error)")
            counters.bootFailures += 1
            perform(table.bootFailed(instanceID: record.id))
            return
        }
        log.info("booting instance", metadata: ["domain": "\(spec.name)", "address": "\(record.address.text)"])
        let started = clock.now
        readinessTasks[record.id] = Task { [hypervisor, readiness, clock] in
            do {
                try await hypervisor.start(spec)
                try await readiness.waitUntilReady(instanceID: record.id, serialLogPath: spec.serialLogPath)
                let elapsed = started.duration(to: clock.now)
                log.info("instance ready", metadata: ["boot_ms": "\(milliseconds(elapsed))"])
                self.bootSucceeded(record.id)
            } catch is CancellationError {
                return
            } catch {
                log.error("boot failed: \(error)")
                self.bootFailed(record.id)
            }
        }
    }

    private func bootSucceeded(_ instanceID: String) {
        readinessTasks[instanceID] = nil
        perform(table.ready(instanceID: instanceID, now: clock.now))
    }

    private func bootFailed(_ instanceID: String) {
        readinessTasks[instanceID] = nil
        counters.bootFailures += 1
        perform(table.bootFailed(instanceID: instanceID))
    }

    private func destroy(_ domainName: String, reason: StopReason) {
        var serialLog: String?
        if let record = table.instances.values.first(where: { $0.domainName == domainName }) {
            readinessTasks.removeValue(forKey: record.id)?.cancel()
            if reason == .bootTimeout { counters.bootFailures += 1 }
            // A failed boot's serial log is kept for debugging; the id's next boot replaces it.
            if reason != .bootTimeout && reason != .bootFailed { serialLog = serialLogPath(instanceID: record.id) }
        }
        logger.info("stopping instance", metadata: ["domain": "\(domainName)", "reason": "\(reason.rawValue)"])
        Task { [hypervisor, logger] in
            for attempt in 1...3 {
                do {
                    try await hypervisor.stop(domainName: domainName)
                    if let serialLog { try? FileManager.default.removeItem(atPath: serialLog) }
                    if reason == .idle { self.countReaped() }
                    self.domainGone(domainName)
                    return
                } catch {
                    logger.error("cannot destroy domain (attempt \(attempt) of 3): \(error)", metadata: ["domain": "\(domainName)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func countReaped() { counters.reaped += 1 }

    private func domainGone(_ domainName: String) {
        perform(table.stopped(domainName: domainName, policy: policyNamed, now: clock.now))
    }

    // MARK: Helpers

    private func policy(_ service: ServiceConfig) -> Table.ServicePolicy {
        Table.ServicePolicy(address: service.address, idleTimeout: service.idleTimeout, bootTimeout: service.bootTimeout)
    }

    private func policyNamed(_ name: String) -> Table.ServicePolicy? {
        config.services[name].map(policy)
    }

    private func serialLogPath(instanceID: String) -> String { "\(config.stateDirectory)/\(instanceID).log" }

    private func domainSpec(for record: Table.Record, service: ServiceConfig) throws -> DomainSpec {
        try images.verify(name: service.image)
        try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        let serialLog = serialLogPath(instanceID: record.id)
        try? FileManager.default.removeItem(atPath: serialLog)
        let commandLine = GuestCommandLine(
            instanceID: record.id,
            interface: IPv4Interface(address: record.address, prefixLength: config.network.prefixLength),
            gateway: config.network.gateway)
        return DomainSpec(
            name: record.domainName,
            metadata: DomainMetadata(service: record.service, instanceID: record.id, address: record.address),
            kernelPath: images.kernelPath(for: service.image), commandLine: commandLine, memoryMiB: service.memoryMiB,
            vcpus: service.vcpus, serialLogPath: serialLog, bridge: config.bridge,
            macAddress: DomainSpec.macAddress(for: record.address), accelerator: accelerator)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
}

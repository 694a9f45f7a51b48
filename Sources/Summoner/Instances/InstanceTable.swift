import GuestStack
import VMLauncher

/// The pure core of the summoner: which instance each service has and what to do next.
///
/// It performs no I/O and reads no clock: every event carries `now`, and every decision comes
/// back as a list of `Action`s for the `InstanceManager` actor to carry out. The skeleton runs at
/// most one instance per service.
public struct InstanceTable<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public typealias Record = InstanceRecord<Instant>

    /// What the caller must do after an event.
    public enum Action: Sendable, Equatable {
        /// Create and start the domain for this instance, then watch for readiness.
        case boot(Record)
        /// Destroy this domain.
        case destroy(domainName: String, reason: StopReason)
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

    /// The per-service timing the table needs.
    public struct ServicePolicy: Sendable, Equatable {
        public var address: IPv4Address
        public var idleTimeout: Duration
        public var bootTimeout: Duration

        public init(address: IPv4Address, idleTimeout: Duration, bootTimeout: Duration) {
            self.address = address
            self.idleTimeout = idleTimeout
            self.bootTimeout = bootTimeout
        }
    }

    /// Live instances by service name.
    public private(set) var instances: [String: Record] = [:]
    /// Services whose instance is stopping while lookups wait for a new one.
    private var rebootAfterStop: Set<String> = []
    private var nextSerial = 1

    public init() {}

    /// A lookup for `service`.
    public mutating func lookup(service: String, policy: ServicePolicy, now: Instant) -> (LookupOutcome, [Action]) {
        guard var record = instances[service] else {
            let record = newRecord(service: service, policy: policy, now: now)
            instances[service] = record
            return (.wait, [.boot(record)])
        }
        record.lookups += 1
        record.lastLookup = now
        instances[service] = record
        switch record.state {
        case .ready: return (.answer(record.address), [])
        case .booting: return (.wait, [])
        case .stopping:
            rebootAfterStop.insert(service)
            return (.wait, [])
        }
    }

    /// The guest of `instanceID` announced readiness.
    public mutating func ready(instanceID: String, now: Instant) -> [Action] {
        guard let service = service(of: instanceID), var record = instances[service], record.state == .booting else {
            return []
        }
        record.state = .ready
        record.readyAt = now
        record.lastLookup = now
        instances[service] = record
        return [.releaseWaiters(service: service, address: record.address)]
    }

    /// Creating or starting the domain failed.
    public mutating func bootFailed(instanceID: String) -> [Action] {
        guard let service = service(of: instanceID), var record = instances[service], record.state == .booting else {
            return []
        }
        record.state = .stopping
        instances[service] = record
        return [.failWaiters(service: service), .destroy(domainName: record.domainName, reason: .bootFailed)]
    }

    /// The domain is gone (destroyed by us, or stopped or crashed on its own).
    public mutating func stopped(domainName: String, policy: (String) -> ServicePolicy?, now: Instant) -> [Action] {
        guard let (service, record) = instances.first(where: { $0.value.domainName == domainName }) else { return [] }
        instances[service] = nil
        var actions: [Action] = []
        if record.state == .booting { actions.append(.failWaiters(service: service)) }
        if rebootAfterStop.remove(service) != nil, let policy = policy(service) {
            let next = newRecord(service: service, policy: policy, now: now)
            instances[service] = next
            actions.append(.boot(next))
        }
        return actions
    }

    /// Time passed: fail boots past their deadline and stop instances idle past their timeout.
    public mutating func tick(now: Instant, policy: (String) -> ServicePolicy?) -> [Action] {
        var actions: [Action] = []
        for (service, var record) in instances.sorted(by: { $0.key < $1.key }) {
            switch record.state {
            case .booting where now >= record.bootDeadline:
                record.state = .stopping
                actions.append(.failWaiters(service: service))
                actions.append(.destroy(domainName: record.domainName, reason: .bootTimeout))
            case .ready:
                let timeout = policy(service)?.idleTimeout ?? .zero
                guard now >= record.lastLookup.advanced(by: timeout) else { continue }
                record.state = .stopping
                actions.append(.destroy(domainName: record.domainName, reason: .idle))
            default:
                continue
            }
            instances[service] = record
        }
        return actions
    }

    /// Stops every live instance (daemon shutdown).
    public mutating func stopAll() -> [Action] {
        var actions: [Action] = []
        for (service, var record) in instances.sorted(by: { $0.key < $1.key }) where record.state != .stopping {
            if record.state == .booting { actions.append(.failWaiters(service: service)) }
            record.state = .stopping
            instances[service] = record
            actions.append(.destroy(domainName: record.domainName, reason: .shutdown))
        }
        rebootAfterStop.removeAll()
        return actions
    }

    /// Stops one instance by service name or instance id (operator request).
    public mutating func stop(serviceOrInstance key: String) -> [Action]? {
        guard let service = instances[key] != nil ? key : service(of: key), var record = instances[service] else {
            return nil
        }
        guard record.state != .stopping else { return [] }
        var actions: [Action] = []
        if record.state == .booting { actions.append(.failWaiters(service: service)) }
        record.state = .stopping
        instances[service] = record
        actions.append(.destroy(domainName: record.domainName, reason: .operatorRequest))
        return actions
    }

    private func service(of instanceID: String) -> String? {
        instances.first(where: { $0.value.id == instanceID })?.key
    }

    private mutating func newRecord(service: String, policy: ServicePolicy, now: Instant) -> Record {
        let id = "\(service)-\(nextSerial)"
        nextSerial += 1
        return Record(
            id: id, service: service, address: policy.address, domainName: DomainSpec.domainName(instanceID: id), state: .booting,
            createdAt: now, readyAt: nil, lastLookup: now, bootDeadline: now.advanced(by: policy.bootTimeout),
            lookups: 1)
    }
}

import GuestStack
import VMLauncher

/// Reload, operator stops, shutdown and adoption: events that come from outside the lookup path.
extension InstanceTable {
    // MARK: Reload

    /// Destroys every instance of `services`, live and pooled (a reload removed them or changed
    /// how their domains are built); their pools refill on the next tick if they still exist.
    public mutating func retire(services: Set<String>) -> [Action] {
        var actions: [Action] = []
        for var record in instances.values.sorted(by: { $0.id.serialOrder < $1.id.serialOrder })
        where services.contains(record.service) && record.state != .stopping {
            if record.state == .booting { actions.append(.failWaiters(service: record.service)) }
            record.state = .stopping
            instances[record.id] = record
            actions.append(.destroy(domainName: record.domainName, reason: .reconfigured))
        }
        // Lookups waiting for a summon after a stop keep waiting: if the service still exists it
        // is summoned with the new settings once the old instance is gone (see `stopped`).
        return actions
    }

    // MARK: Operator and shutdown

    /// Stops every instance, pool members included (daemon shutdown).
    public mutating func stopAll() -> [Action] {
        var actions: [Action] = []
        // A guest asked to stop is destroyed too: the daemon does not wait for its timeout.
        for var record in instances.values.sorted(by: { $0.id.serialOrder < $1.id.serialOrder })
        where record.state != .stopping || record.shutdownDeadline != nil {
            if record.state == .booting { actions.append(.failWaiters(service: record.service)) }
            record.state = .stopping
            record.shutdownDeadline = nil
            instances[record.id] = record
            actions.append(.destroy(domainName: record.domainName, reason: .shutdown))
        }
        summonAfterStop.removeAll()
        shuttingDown = true
        return actions
    }

    /// Stops the live instance of a service, or any instance by id (operator request).
    public mutating func stop(serviceOrInstance key: String) -> [Action]? {
        guard var record = instances[key] ?? live(key) ?? dormant(key) else { return nil }
        guard record.state != .stopping else { return [] }
        var actions: [Action] = []
        if record.state == .booting { actions.append(.failWaiters(service: record.service)) }
        record.state = .stopping
        instances[record.id] = record
        actions.append(.destroy(domainName: record.domainName, reason: .operatorRequest))
        return actions
    }

    /// Suspends a ready instance now (operator request); nil when there is none to suspend.
    public mutating func pause(serviceOrInstance key: String) -> [Action]? {
        guard var record = instances[key] ?? live(key), record.state == .ready else { return nil }
        record.state = .suspended
        instances[record.id] = record
        return [.suspend(record)]
    }

    /// Resumes a suspended instance now (operator request); nil when there is none.
    public mutating func resume(serviceOrInstance key: String, policy: ServicePolicy?, now: Instant) -> [Action]? {
        guard var record = instances[key] ?? records(key, .suspended).first, record.state == .suspended,
            let policy
        else { return nil }
        guard liveCount < limits.maxLiveInstances else { return [] }
        record.startBoot(mode: .unpause, now: now, timeout: policy.bootTimeout)
        record.lookups -= 1  // an operator's resume is not a lookup
        instances[record.id] = record
        return [.unpause(record)]
    }

    // MARK: Adoption

    /// Takes over a domain found at start-up. Running domains become ready instances (one per
    /// service), suspended ones suspended instances, paused ones pool members (parked booted
    /// ones among them); anything else is destroyed. Returns the actions.
    public mutating func adopt(
        domainName: String, metadata: DomainMetadata, paused: Bool, suspended: Bool = false, parked: Bool = false,
        policy: ServicePolicy?, now: Instant
    ) -> [Action] {
        let serial = metadata.instanceID.serialOrder
        if serial.number != Int.max { nextSerial = max(nextSerial, serial.number + 1) }
        guard let policy, isOwnAddress(metadata, policy), metadata.instanceID.hasPrefix(metadata.service + "-"),
            instances[metadata.instanceID] == nil, domainName == DomainSpec.domainName(instanceID: metadata.instanceID)
        else { return [.destroy(domainName: domainName, reason: .unknownDomain)] }
        let poolCount = instances.values.filter { $0.service == metadata.service && $0.state.isPool }.count
        let holdsAddress = live(metadata.service) != nil || dormant(metadata.service) != nil
        if paused && !suspended ? poolCount >= policy.poolSize : holdsAddress {
            return [.destroy(domainName: domainName, reason: .unknownDomain)]
        }
        var record = Record(
            id: metadata.instanceID, service: metadata.service, address: metadata.address, domainName: domainName,
            state: suspended ? .suspended : paused ? .pooled : .ready, createdAt: now, summonedAt: paused ? nil : now,
            mode: paused ? nil : .adopted, readyAt: paused ? nil : now, lastLookup: now, bootDeadline: nil, lookups: 0,
            resumeWhenCreated: false)
        record.poolBoot = paused && parked
        instances[record.id] = record
        return []
    }

    /// Takes over an instance saved to `statePath` by an earlier run (stop mode `save`). It becomes
    /// a saved instance unless it matches no configured service, or the service's address is
    /// held already (a running instance wins: the state file is stale); then the caller deletes
    /// the file. Nothing is destroyed: no domain exists for a saved instance.
    public mutating func adoptSaved(metadata: DomainMetadata, domainName: String, policy: ServicePolicy?, now: Instant) -> Bool {
        let serial = metadata.instanceID.serialOrder
        if serial.number != Int.max { nextSerial = max(nextSerial, serial.number + 1) }
        guard let policy, isOwnAddress(metadata, policy), metadata.instanceID.hasPrefix(metadata.service + "-"),
            instances[metadata.instanceID] == nil, domainName == DomainSpec.domainName(instanceID: metadata.instanceID),
            live(metadata.service) == nil, dormant(metadata.service) == nil
        else { return false }
        instances[metadata.instanceID] = Record(
            id: metadata.instanceID, service: metadata.service, address: metadata.address, domainName: domainName,
            state: .saved, createdAt: now, summonedAt: nil, mode: nil, readyAt: nil, lastLookup: now, bootDeadline: nil,
            lookups: 0, resumeWhenCreated: false)
        return true
    }

    /// The suspended or saved instance of a service, if any.
    func dormant(_ service: String) -> Record? {
        instances.values.first { $0.service == service && $0.state.isDormant }
    }

    /// A suspend failed: the instance is destroyed instead.
    public mutating func suspendFailed(instanceID: String) -> [Action] {
        guard var record = instances[instanceID], record.state == .suspended else { return [] }
        record.state = .stopping
        instances[instanceID] = record
        return [.destroy(domainName: record.domainName, reason: .idle)]
    }
}

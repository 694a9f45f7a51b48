/// Events of the two ways an instance waits without serving that take a hypervisor call to get
/// there: a booted pool member being parked, and an idle instance being saved (stop mode `save`).
extension InstanceTable {
    /// A booted pool member is parked: it waits in the pool, serving-ready. One claimed by a
    /// lookup while it was being parked is resumed at once.
    public mutating func parked(instanceID: String) -> [Action] {
        guard var record = instances[instanceID], record.poolBoot, record.parking else { return [] }
        record.parking = false
        record.resumeWhenCreated = false
        if record.state == .pooling { record.state = .pooled }
        instances[instanceID] = record
        return record.state == .booting ? [.unpause(record)] : []
    }

    /// Parking a booted pool member failed: it is destroyed (lookups that claimed it fail).
    public mutating func parkFailed(instanceID: String, now: Instant) -> [Action] {
        guard var record = instances[instanceID], record.parking else { return [] }
        let claimed = record.state == .booting
        record.state = .stopping
        record.parking = false
        instances[instanceID] = record
        refillNotBefore[record.service] = now.advanced(by: Self.refillBackoff)
        return (claimed ? [.failWaiters(service: record.service)] : [])
            + [.destroy(domainName: record.domainName, reason: .bootFailed)]
    }

    /// The save of `instanceID` finished: no domain exists now, only its state file. Lookups that
    /// arrived meanwhile restore it at once.
    public mutating func saved(instanceID: String, policy: (String) -> ServicePolicy?, now: Instant) -> [Action] {
        guard var record = instances[instanceID], record.state == .saving else { return [] }
        record.state = .saved
        record.mode = nil
        instances[instanceID] = record
        if summonAfterStop.remove(record.service) != nil, let policy = policy(record.service) {
            return summon(service: record.service, policy: policy, now: now)
        }
        return []
    }

    /// The save of `instanceID` failed (a full disk, for one): the domain is destroyed instead,
    /// and lookups that arrived meanwhile get a fresh instance once it is gone.
    public mutating func saveFailed(instanceID: String) -> [Action] {
        guard var record = instances[instanceID], record.state == .saving else { return [] }
        record.state = .stopping
        instances[instanceID] = record
        return [.destroy(domainName: record.domainName, reason: .idle)]
    }
}

/// Global caps that keep a storm of lookups from overwhelming the host.
public struct InstanceLimits: Sendable, Equatable {
    /// Live (booting or ready) instances across all services; a summon beyond it fails
    /// (SERVFAIL) at once. Pool members do not count: they are paused.
    public var maxLiveInstances: Int
    /// Domain creates in flight at once (cold summons and pool refills). A cold summon
    /// beyond it waits for a slot (its boot timeout still runs); refills wait for the next tick.
    public var maxConcurrentCreates: Int

    public init(maxLiveInstances: Int = 256, maxConcurrentCreates: Int = 4) {
        self.maxLiveInstances = maxLiveInstances
        self.maxConcurrentCreates = maxConcurrentCreates
    }
}

extension InstanceTable {
    /// Instances booting or ready.
    var liveCount: Int { instances.values.filter(\.state.isLive).count }

    /// The create action for `record`, or, for a cold summon with every slot taken, a place in
    /// the queue. Pool refills are only asked for when a slot is free.
    mutating func issueCreate(_ record: Record, paused: Bool) -> [Action] {
        if !paused && creating.count >= limits.maxConcurrentCreates {
            createQueue.append(record.id)
            return []
        }
        creating.insert(record.id)
        return [.create(record, paused: paused)]
    }

    /// A create finished (or its instance is gone): frees its slot and starts the next queued
    /// cold summon that still waits.
    mutating func createFinished(_ instanceID: String) -> [Action] {
        guard creating.remove(instanceID) != nil || createQueue.contains(instanceID) else { return [] }
        createQueue.removeAll { $0 == instanceID }
        var actions: [Action] = []
        while creating.count < limits.maxConcurrentCreates, !createQueue.isEmpty {
            let next = createQueue.removeFirst()
            guard let record = instances[next], record.state == .booting else { continue }
            creating.insert(next)
            actions.append(.create(record, paused: false))
        }
        return actions
    }
}

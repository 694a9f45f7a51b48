/// Keeping `liveAnswers` in step with the table.
extension InstanceManager {
    /// Takes the lookups answered from `liveAnswers` into the table, runs `decide` (the reaper's
    /// tick, or nothing), and publishes the answers for the instances ready after it, all in one
    /// locked step; returns what `decide` returned.
    func syncLiveAnswers(_ decide: (inout Table, C.Instant) -> [Table.Action] = { _, _ in [] }) -> [Table.Action] {
        let now = clock.now
        var actions: [Table.Action] = []
        liveAnswers.exchange { lookups in
            table.recordLookups(lookups, now: now)
            actions = decide(&table, now)
            return readyAnswers()
        }
        return actions
    }

    /// The answer for each service with a ready instance (the one a lookup would get).
    private func readyAnswers() -> [String: LiveAnswers.Answer] {
        var answers: [String: LiveAnswers.Answer] = [:]
        var duplicated: Set<String> = []
        for record in table.instances.values where record.state == .ready {
            guard let service = config.services[record.service] else { continue }
            if answers[record.service] != nil { duplicated.insert(record.service) }
            answers[record.service] = .init(instanceID: record.id, address: record.address, ttl: service.ttl)
        }
        for name in duplicated {  // rare (an old and a new instance at once): the table chooses
            answers[name] = table.live(name).flatMap { record in
                guard record.state == .ready, let service = config.services[name] else { return nil }
                return .init(instanceID: record.id, address: record.address, ttl: service.ttl)
            }
        }
        return answers
    }
}

extension InstanceTable {
    /// Counts lookups answered outside the table (`LiveAnswers`), per instance id, as made `now`.
    mutating func recordLookups(_ lookups: [String: Int], now: Instant) {
        for (id, count) in lookups where count > 0 {
            guard var record = instances[id] else { continue }
            record.lookups += count
            if record.lastLookup < now { record.lastLookup = now }
            instances[id] = record
        }
    }
}

import Foundation
import VMLauncher

extension InstanceManager {
    /// Destroys a domain, retrying a failed destroy twice a second apart.
    ///
    /// A create or resume still in flight is cancelled and then awaited before the destroy: a
    /// destroy that reached libvirt before the create had registered the domain would find
    /// nothing, and the create would then leave a domain nobody owns.
    func destroy(_ domainName: String, reason: StopReason) {
        var serialLog: String?
        var inFlight: Task<Void, Never>?
        let record = table.record(domainName: domainName)
        let instanceID = record?.id
        if let record {
            inFlight = bootTasks.removeValue(forKey: record.id)
            inFlight?.cancel()
            if reason == .bootTimeout {
                counters.bootFailures += 1
                metrics?.bootFailed()
            }
            // A failed boot's serial log is kept for debugging; the id is never reused in a run.
            if reason != .bootTimeout && reason != .bootFailed { serialLog = serialLogPath(instanceID: record.id) }
            logger(for: record).info("stopping instance", metadata: ["domain": "\(domainName)", "reason": "\(reason.rawValue)"])
        } else {
            logger.info("stopping domain", metadata: ["domain": "\(domainName)", "reason": "\(reason.rawValue)"])
        }
        Task { [hypervisor, logger] in
            await inFlight?.value
            for attempt in 1...3 {
                do {
                    try await hypervisor.stop(domainName: domainName)
                    if let serialLog { try? FileManager.default.removeItem(atPath: serialLog) }
                    if let instanceID { self.discardSavedState(instanceID: instanceID) }
                    if reason == .idle || reason == .shutdownTimeout { self.countReaped() }
                    self.domainGone(domainName)
                    return
                } catch {
                    logger.error("cannot destroy domain (attempt \(attempt) of 3): \(error)", metadata: ["domain": "\(domainName)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    func removeSerialLog(instanceID: String) {
        try? FileManager.default.removeItem(atPath: serialLogPath(instanceID: instanceID))
    }

    func countReaped() {
        counters.reaped += 1
        metrics?.reapedIdle()
    }

    /// Stops every instance, pool members included, and waits until their domains are destroyed
    /// (daemon shutdown).
    public func shutdown() async {
        // Mark everything stopping first, so no lookup summons anything from here on.
        let actions = table.stopAll()
        _ = syncLiveAnswers()  // nothing answered from here on either
        // Let creates in flight finish, so that every domain they make is destroyed below.
        let inFlight = Array(bootTasks.values)
        bootTasks.removeAll()
        inFlight.forEach { $0.cancel() }
        for task in inFlight { await task.value }
        for action in actions {
            guard case .destroy(let name, _) = action else {
                perform([action])
                continue
            }
            do {
                try await hypervisor.stop(domainName: name)
                // Stopping records stay in the table until `domainGone`.
                if let id = table.record(domainName: name)?.id {
                    try? FileManager.default.removeItem(atPath: serialLogPath(instanceID: id))
                    discardSavedState(instanceID: id)
                }
                logger.info("instance stopped", metadata: ["domain": "\(name)", "reason": "shutdown"])
            } catch {
                logger.error("cannot destroy domain at shutdown", metadata: ["domain": "\(name)", "error": "\(error)"])
            }
            domainGone(name)
        }
    }

    /// Makes lookups wait until `adoptExisting` has run (call it before the DNS server starts).
    public func holdLookupsUntilAdopted() { holdingLookups = true }

    private func releaseHeldLookups() {
        holdingLookups = false
        let held = heldLookups
        heldLookups.removeAll()
        held.forEach { $0.resume() }
    }

    /// Takes over the domains a previous run left (after SIGKILL or a crash): running ones become
    /// ready instances, paused ones pool members; domains that match no configured service, or
    /// would duplicate an address, are destroyed.
    public func adoptExisting() async {
        defer { releaseHeldLookups() }
        let domains: [DomainSummary]
        do {
            domains = try await hypervisor.list()
        } catch {
            logger.error("cannot list existing domains to adopt them: \(error)")
            return
        }
        adopt(domains)
        await adoptSavedStates()
    }

    /// Adopts `domains` into the table, running ones first so that a running instance wins over
    /// a paused one for the address; what cannot be mapped is destroyed.
    private func adopt(_ domains: [DomainSummary]) {
        for domain in domains.sorted(by: { (!$0.isPaused && $1.isPaused) || ($0.isPaused == $1.isPaused && $0.name < $1.name) }) {
            let actions = table.adopt(
                domainName: domain.name, metadata: domain.metadata, paused: domain.isPaused,
                suspended: domain.isSuspended, parked: domain.isParked, policy: policyNamed(domain.metadata.service),
                now: clock.now)
            if actions.isEmpty {
                counters.adopted += 1
                logger.info(
                    "adopted domain",
                    metadata: ["domain": "\(domain.name)", "state": "\(domain.isSuspended ? "suspended" : domain.isPaused ? "pooled" : "ready")"])
            }
            perform(actions)
        }
    }

    /// After a reconnect: forgets instances whose domains vanished while the connection was
    /// down (their lifecycle events were lost) and adopts domains it does not know.
    func reconcileAfterReconnect() async {
        let domains: [DomainSummary]
        do {
            domains = try await hypervisor.list()
        } catch {
            logger.error("cannot list domains after reconnecting: \(error)")
            return
        }
        let present = Set(domains.map(\.name))
        for record in table.instances.values.sorted(by: { $0.id.serialOrder < $1.id.serialOrder })
        where !present.contains(record.domainName) && bootTasks[record.id] == nil && record.state != .saved
            && record.state != .saving
        {
            logger(for: record).warning("domain vanished while libvirt was unreachable", metadata: ["domain": "\(record.domainName)"])
            domainGone(record.domainName)
        }
        adopt(domains.filter { table.record(domainName: $0.name) == nil })
    }
}

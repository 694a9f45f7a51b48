import Foundation
import VMLauncher

extension InstanceManager {
    /// Destroys a domain, retrying a failed destroy twice a second apart.
    func destroy(_ domainName: String, reason: StopReason) {
        var serialLog: String?
        if let record = table.record(domainName: domainName) {
            bootTasks.removeValue(forKey: record.id)?.cancel()
            if reason == .bootTimeout { counters.bootFailures += 1 }
            // A failed boot's serial log is kept for debugging; the id is never reused in a run.
            if reason != .bootTimeout && reason != .bootFailed { serialLog = serialLogPath(instanceID: record.id) }
            logger(for: record).info("stopping instance", metadata: ["domain": "\(domainName)", "reason": "\(reason.rawValue)"])
        } else {
            logger.info("stopping domain", metadata: ["domain": "\(domainName)", "reason": "\(reason.rawValue)"])
        }
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

    /// Stops every instance, pool members included, and waits until their domains are destroyed
    /// (daemon shutdown).
    public func shutdown() async {
        bootTasks.values.forEach { $0.cancel() }
        bootTasks.removeAll()
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

    /// Takes over the domains a previous run left (after SIGKILL or a crash): running ones become
    /// ready instances, paused ones pool members; domains that match no configured service, or
    /// would duplicate an address, are destroyed.
    public func adoptExisting() async {
        let domains: [DomainSummary]
        do {
            domains = try await hypervisor.list()
        } catch {
            logger.error("cannot list existing domains to adopt them: \(error)")
            return
        }
        // Running domains first, so a running instance wins over a paused one for the address.
        for domain in domains.sorted(by: { (!$0.isPaused && $1.isPaused) || ($0.isPaused == $1.isPaused && $0.name < $1.name) }) {
            let actions = table.adopt(
                domainName: domain.name, metadata: domain.metadata, paused: domain.isPaused,
                policy: policyNamed(domain.metadata.service), now: clock.now)
            if actions.isEmpty {
                counters.adopted += 1
                logger.info(
                    "adopted domain from an earlier run",
                    metadata: ["domain": "\(domain.name)", "state": "\(domain.isPaused ? "pooled" : "ready")"])
            }
            perform(actions)
        }
    }
}

import Foundation
import VMLauncher

/// Stop mode `save`: an idle instance is saved to a state file and its domain ends, so it costs
/// no memory; the next lookup restores it and the guest carries on where it was. The files live
/// in `<state>/saved/<instance-id>.save`, written and read by libvirtd itself.
extension InstanceManager {
    /// The directory of the state files.
    var savedStateDirectory: String { "\(config.stateDirectory)/saved" }

    func savedStatePath(instanceID: String) -> String { "\(savedStateDirectory)/\(instanceID).save" }

    /// Saves an idle instance. If the save fails (the disk is full, say) libvirt leaves the
    /// domain running: it is destroyed instead and the partial file removed.
    func save(_ record: Table.Record) {
        counters.saves += 1
        let log = logger(for: record)
        let path = savedStatePath(instanceID: record.id)
        log.info("saving idle instance", metadata: ["domain": "\(record.domainName)", "file": "\(path)"])
        Task { [hypervisor, clock] in
            let started = clock.now
            do {
                try FileManager.default.createDirectory(atPath: self.savedStateDirectory, withIntermediateDirectories: true)
                try await hypervisor.save(domainName: record.domainName, to: path)
            } catch {
                log.error("save failed, destroying the instance instead: \(error)", metadata: ["file": "\(path)"])
                try? FileManager.default.removeItem(atPath: path)
                self.saveFailed(record.id)
                return
            }
            log.info("instance saved", metadata: ["save_ms": "\(milliseconds(started.duration(to: clock.now)))"])
            self.saved(record.id)
        }
    }

    private func saved(_ instanceID: String) {
        perform(table.saved(instanceID: instanceID, policy: policyNamed, now: clock.now))
    }

    private func saveFailed(_ instanceID: String) {
        counters.saveFailures += 1
        perform(table.saveFailed(instanceID: instanceID))
    }

    /// Restores a saved instance; it serves as soon as the call returns. The state file is
    /// removed once the domain runs again (it would be stale from then on).
    func restore(_ record: Table.Record) {
        counters.restores += 1
        metrics?.summoned(mode: .restore)
        let log = logger(for: record)
        let path = savedStatePath(instanceID: record.id)
        log.info("restoring saved instance", metadata: ["domain": "\(record.domainName)"])
        bootTasks[record.id] = Task { [hypervisor] in
            do {
                try await hypervisor.restore(from: path)
            } catch {
                if Task.isCancelled { return }
                log.error("restore failed: \(error)", metadata: ["file": "\(path)"])
                self.wakeFailed(record.id, error)
                return
            }
            try? FileManager.default.removeItem(atPath: path)
            self.readyAtOnce(record, mode: .restore)
        }
    }

    /// Removes the state file of an instance that is gone for good.
    func discardSavedState(instanceID: String) {
        try? FileManager.default.removeItem(atPath: savedStatePath(instanceID: instanceID))
    }

    /// Adopts the state files a previous run left (after its instances were saved and it was
    /// killed or left them at shutdown). A file that is not ours, unreadable, or stale (its
    /// instance runs, or the service's address is held) is deleted.
    func adoptSavedStates() async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: savedStateDirectory)) ?? []
        for name in names.sorted() where name.hasSuffix(".save") {
            let path = "\(savedStateDirectory)/\(name)"
            let domain: DomainSummary?
            do {
                domain = try await hypervisor.savedDomain(at: path)
            } catch {
                logger.error("cannot read state file, deleting it: \(error)", metadata: ["file": "\(path)"])
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard let domain, name == "\(domain.metadata.instanceID).save",
                table.adoptSaved(
                    metadata: domain.metadata, domainName: domain.name, policy: policyNamed(domain.metadata.service),
                    now: clock.now)
            else {
                logger.warning("deleting a state file no configured service can use", metadata: ["file": "\(path)"])
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            counters.adopted += 1
            logger.info("adopted saved instance", metadata: ["domain": "\(domain.name)", "file": "\(path)"])
        }
    }
}

import Foundation
import GuestStack
import Logging
import VMLauncher

extension InstanceManager {
    /// Creates a domain: running for a cold summon or a booted pool member, paused for a pool
    /// member that waits before its first instruction.
    func create(_ record: Table.Record, paused: Bool) {
        let log = logger(for: record)
        guard let service = config.services[record.service] else { return }
        let spec: DomainSpec
        do {
            spec = try domainSpec(for: record, service: service)
        } catch {
            log.error("cannot create the domain: \(error)")
            failed(record.id, counted: record.state != .pooling)
            return
        }
        let forPool = record.state == .pooling
        if forPool {
            counters.poolCreates += 1
            log.debug(
                "creating pool domain", metadata: ["domain": "\(spec.name)", "booted": "\(!paused)", "address": "\(record.address.text)"])
        } else {
            counters.coldBoots += 1
            metrics?.summoned(mode: .cold)
            log.info("booting instance (cold create)", metadata: ["domain": "\(spec.name)", "address": "\(record.address.text)"])
        }
        bootTasks[record.id] = Task { [hypervisor] in
            do {
                try await hypervisor.start(spec, paused: paused)
            } catch {
                // Cancelled: the instance is being destroyed, which makes libvirt's create fail.
                if Task.isCancelled { return }
                log.error("create failed: \(error)")
                self.failed(record.id, counted: !forPool)
                return
            }
            if Task.isCancelled { return }
            self.created(record, watchReadiness: !paused)
        }
    }

    /// Resumes a paused pool domain: the guest starts from its first instruction.
    func resume(_ record: Table.Record) {
        counters.poolResumes += 1
        metrics?.summoned(mode: .pool)
        let log = logger(for: record)
        log.info("booting instance (pool resume)", metadata: ["domain": "\(record.domainName)"])
        let target = readinessTarget(record)
        bootTasks[record.id] = Task { [hypervisor] in
            let started = ContinuousClock.now
            do {
                try await hypervisor.resume(domainName: record.domainName)
            } catch {
                if Task.isCancelled { return }
                log.error("resume failed: \(error)")
                self.wakeFailed(record.id, error)
                return
            }
            log.debug("resumed", metadata: ["resume_ms": "\(milliseconds(started.duration(to: .now)))"])
            await self.watchReadiness(target)
        }
    }

    /// Resumes a suspended instance or a parked pool member: its guest was serving when it was
    /// suspended, so it is ready as soon as the call returns.
    func unpause(_ record: Table.Record) {
        let mode = record.mode ?? .unpause
        if mode == .pool {
            counters.poolResumes += 1
        } else {
            counters.unpauses += 1
        }
        metrics?.summoned(mode: mode)
        let log = logger(for: record)
        log.info(
            mode == .pool ? "booting instance (resume of a parked pool member)" : "resuming suspended instance",
            metadata: ["domain": "\(record.domainName)"])
        bootTasks[record.id] = Task { [hypervisor] in
            do {
                try await hypervisor.unpause(domainName: record.domainName)
            } catch {
                if Task.isCancelled { return }
                log.error("resume failed: \(error)")
                self.wakeFailed(record.id, error)
                return
            }
            self.readyAtOnce(record, mode: mode)
        }
    }

    /// A suspended, saved or parked instance runs again: its guest was serving, so it is ready
    /// at once.
    func readyAtOnce(_ record: Table.Record, mode: SummonMode) {
        bootTasks[record.id] = nil
        let elapsed = record.summonedAt.map { $0.duration(to: clock.now) } ?? .zero
        logger(for: record).info("instance ready", metadata: ["mode": "\(mode.rawValue)", "boot_ms": "\(milliseconds(elapsed))"])
        metrics?.ready(mode: mode, after: elapsed)
        perform(table.ready(instanceID: record.id, now: clock.now))
    }

    /// A resume, unpause or restore failed. One that never reached libvirt (the connection was
    /// down) leaves the instance where it was; any other failure fails the boot.
    func wakeFailed(_ instanceID: String, _ error: any Error) {
        if case HypervisorError.connectionFailed = error {
            resumeNotAttempted(instanceID)
        } else {
            failed(instanceID, counted: true)
        }
    }

    /// Suspends an idle instance in memory (stop mode `pause`); if that fails it is destroyed.
    func suspend(_ record: Table.Record) {
        counters.suspends += 1
        let log = logger(for: record)
        log.info("suspending idle instance", metadata: ["domain": "\(record.domainName)"])
        Task { [hypervisor] in
            do {
                try await hypervisor.suspend(domainName: record.domainName, mark: .suspended)
            } catch {
                log.error("suspend failed, destroying instead: \(error)")
                self.suspendFailed(record.id)
            }
        }
    }

    /// Parks a booted pool member whose guest just became ready: suspended, marked as parked.
    func park(_ record: Table.Record) {
        let log = logger(for: record)
        bootTasks[record.id] = Task { [hypervisor] in
            do {
                try await hypervisor.suspend(domainName: record.domainName, mark: .parked)
            } catch {
                if Task.isCancelled { return }
                log.error("cannot park the booted pool member, destroying it: \(error)")
                self.parkFinished(record.id, failed: true)
                return
            }
            log.debug("pool member booted and parked", metadata: ["domain": "\(record.domainName)"])
            self.parkFinished(record.id, failed: false)
        }
    }

    private func parkFinished(_ instanceID: String, failed: Bool) {
        bootTasks[instanceID] = nil
        perform(failed ? table.parkFailed(instanceID: instanceID, now: clock.now) : table.parked(instanceID: instanceID))
    }

    private func suspendFailed(_ instanceID: String) { perform(table.suspendFailed(instanceID: instanceID)) }

    private func created(_ record: Table.Record, watchReadiness: Bool) {
        bootTasks[record.id] = nil
        perform(table.created(instanceID: record.id))
        if watchReadiness {
            let target = readinessTarget(record)
            bootTasks[record.id] = Task { await self.watchReadiness(target) }
        }
    }

    private func readinessTarget(_ record: Table.Record) -> ReadinessTarget {
        ReadinessTarget(
            instanceID: record.id, address: record.address, serialLogPath: serialLogPath(instanceID: record.id),
            mode: config.services[record.service]?.readiness ?? .announce)
    }

    /// Waits for the guest's readiness, then tells the table; cancelled when the boot is abandoned.
    private func watchReadiness(_ target: ReadinessTarget) async {
        let instanceID = target.instanceID
        do {
            try await readiness.waitUntilReady(target)
        } catch {
            return
        }
        guard let record = table.instances[instanceID] else { return }
        if record.state == .pooling {
            // A booted pool member: the table parks it.
            bootTasks[instanceID] = nil
            perform(table.ready(instanceID: instanceID, now: clock.now))
            return
        }
        guard record.state == .booting else { return }
        bootTasks[instanceID] = nil
        let elapsed = record.summonedAt.map { $0.duration(to: clock.now) } ?? .zero
        if let mode = record.mode { metrics?.ready(mode: mode, after: elapsed) }
        logger(for: record).info(
            "instance ready", metadata: ["mode": "\(record.mode?.rawValue ?? "-")", "boot_ms": "\(milliseconds(elapsed))"])
        perform(table.ready(instanceID: instanceID, now: clock.now))
    }

    private func resumeNotAttempted(_ instanceID: String) {
        bootTasks[instanceID] = nil
        counters.bootFailures += 1
        metrics?.bootFailed()
        perform(table.resumeNotAttempted(instanceID: instanceID))
    }

    func failed(_ instanceID: String, counted: Bool) {
        bootTasks[instanceID] = nil
        // Only a boot still in progress can fail; one being stopped was already counted.
        guard let record = table.instances[instanceID], record.state == .booting || record.state == .pooling else { return }
        if counted {
            counters.bootFailures += 1
            metrics?.bootFailed()
        }
        perform(table.createFailed(instanceID: instanceID, now: clock.now))
    }

    func logger(for record: Table.Record) -> Logger {
        var log = logger
        log[metadataKey: "service"] = "\(record.service)"
        log[metadataKey: "instance"] = "\(record.id)"
        return log
    }

    func serialLogPath(instanceID: String) -> String { "\(config.stateDirectory)/\(instanceID).log" }

    private func domainSpec(for record: Table.Record, service: ServiceConfig) throws -> DomainSpec {
        try images.verify(name: service.image, memoryMiB: service.memoryMiB)
        try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        let serialLog = serialLogPath(instanceID: record.id)
        try? FileManager.default.removeItem(atPath: serialLog)
        let commandLine = GuestCommandLine(
            instanceID: record.id,
            interface: IPv4Interface(address: record.address, prefixLength: config.network.prefixLength),
            gateway: config.network.gateway, readyEndpoint: config.readyEndpoint,
            interface6: config.network.ipv6Interface(for: record.address))
        return DomainSpec(
            name: record.domainName,
            metadata: DomainMetadata(
                service: record.service, instanceID: record.id, address: record.address,
                address6: config.network.ipv6Address(for: record.address)),
            kernelPath: images.kernelPath(for: service.image), commandLine: commandLine, memoryMiB: service.memoryMiB,
            vcpus: service.vcpus, serialLogPath: serialLog, bridge: config.bridge,
            macAddress: DomainSpec.macAddress(for: record.address), accelerator: accelerator)
    }
}

import KernelImage

/// What a reload changed, for the log and for `summonerctl`.
public struct ReloadReport: Sendable, Equatable, Codable {
    public var added: [String] = []
    public var removed: [String] = []
    /// Services whose instances were replaced (image, address, memory, vcpus, or guest network changed).
    public var rebuilt: [String] = []
    /// Services whose timing or pool changed; their live instances were kept.
    public var retuned: [String] = []
    /// Settings that only take effect after a restart (listen addresses, sockets, libvirt).
    public var needsRestart: [String] = []

    public init() {}
}

extension InstanceManager {
    /// Applies a new configuration. Instances of unchanged services are not touched; a service
    /// whose domains would now be built differently has its instances replaced; removed services
    /// are stopped. Settings bound at start-up are reported, not applied.
    public func reload(_ new: SummonerConfig) -> ReloadReport {
        let old = config
        var report = ReloadReport()
        if new.dnsListen != old.dnsListen { report.needsRestart.append("dns.listen") }
        if new.controlSocket != old.controlSocket { report.needsRestart.append("control.socket") }
        if new.libvirtURI != old.libvirtURI { report.needsRestart.append("libvirt.uri") }
        if new.accelerator != old.accelerator { report.needsRestart.append("libvirt.accelerator") }
        if new.zone != old.zone { report.needsRestart.append("zone") }
        if new.readyEndpoint != old.readyEndpoint { report.needsRestart.append("readiness.listen") }
        if new.metricsListen != old.metricsListen { report.needsRestart.append("metrics.listen") }
        if new.onShutdown != old.onShutdown { report.needsRestart.append("daemon.on_shutdown") }
        // Keep what needs a restart as it was, so the running daemon stays consistent.
        var applied = new
        applied.dnsListen = old.dnsListen
        applied.controlSocket = old.controlSocket
        applied.libvirtURI = old.libvirtURI
        applied.accelerator = old.accelerator
        applied.zone = old.zone
        applied.readyEndpoint = old.readyEndpoint
        applied.metricsListen = old.metricsListen
        applied.onShutdown = old.onShutdown

        let guestSettingsChanged =
            applied.network != old.network || applied.bridge != old.bridge
            || applied.imagesDirectory != old.imagesDirectory || applied.stateDirectory != old.stateDirectory
        var retire: Set<String> = []
        for name in Set(old.services.keys).union(new.services.keys).sorted() {
            switch (old.services[name], applied.services[name]) {
            case (nil, .some): report.added.append(name)
            case (.some, nil):
                report.removed.append(name)
                retire.insert(name)
            case (let before?, let after?):
                if guestSettingsChanged || before.buildsDomainsDifferently(from: after) {
                    report.rebuilt.append(name)
                    retire.insert(name)
                } else if before != after {
                    report.retuned.append(name)
                }
            case (nil, nil): break
            }
        }
        config = applied
        zoneNames.replace(with: applied.services.keys, network: applied.network)
        images = ImageStore(directory: applied.imagesDirectory)
        table.configure(services: applied.services.keys.sorted(), limits: applied.limits)
        perform(table.retire(services: retire))
        for name in report.removed { perform([.failWaiters(service: name)]) }
        return report
    }

    /// True when `name` is a configured service.
    public nonisolated func serviceExists(_ name: String) -> Bool { zoneNames.contains(name) }
}

extension ServiceConfig {
    /// True when a domain built from `other` would differ from one built from `self`.
    func buildsDomainsDifferently(from other: ServiceConfig) -> Bool {
        image != other.image || addresses != other.addresses || memoryMiB != other.memoryMiB || vcpus != other.vcpus
            || poolState != other.poolState
    }
}

extension SummonerConfig {
    /// The table's view of the global caps.
    var limits: InstanceLimits {
        .init(maxLiveInstances: maxLiveInstances, maxConcurrentCreates: maxConcurrentCreates)
    }
}

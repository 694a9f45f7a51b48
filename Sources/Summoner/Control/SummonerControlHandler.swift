import VMLauncher

/// The control API over an `InstanceManager`.
public struct SummonerControlHandler<C: Clock>: ControlRequestHandler where C.Duration == Duration {
    public let manager: InstanceManager<C>
    public let accelerator: Accelerator
    /// Re-reads the configuration file (the same path as SIGHUP); nil where reload is not offered.
    public let reload: (@Sendable () async -> Result<ReloadReport, ConfigError>)?

    public init(
        manager: InstanceManager<C>, accelerator: Accelerator,
        reload: (@Sendable () async -> Result<ReloadReport, ConfigError>)? = nil
    ) {
        self.manager = manager
        self.accelerator = accelerator
        self.reload = reload
    }

    public func handle(_ request: ControlRequest) async -> ControlResponse {
        switch request.command {
        case .list:
            let instances = await manager.snapshot()
            return ControlResponse(ok: true, instances: request.all == true ? instances : instances.filter { !$0.state.isPool })
        case .status:
            let config = await manager.config
            let counters = await manager.counters
            let instances = await manager.snapshot()
            return ControlResponse(
                ok: true,
                status: DaemonStatus(
                    zone: config.zone, accelerator: accelerator.rawValue, libvirtURI: config.libvirtURI,
                    libvirtConnected: await manager.hypervisorConnected,
                    services: config.services.keys.sorted(), liveInstances: instances.filter { $0.state.isLive }.count,
                    pooledInstances: instances.filter { $0.state.isPool }.count, coldBoots: counters.coldBoots,
                    poolResumes: counters.poolResumes, poolCreates: counters.poolCreates, unpauses: counters.unpauses,
                    suspends: counters.suspends, saves: counters.saves, restores: counters.restores,
                    bootFailures: counters.bootFailures, reaped: counters.reaped, adopted: counters.adopted))
        case .stop:
            guard let target = request.target, !target.isEmpty else {
                return .failure("stop needs a service name or instance id")
            }
            guard await manager.stop(target) else { return .failure("no live instance matches \"\(target)\"") }
            return ControlResponse(ok: true)
        case .pause:
            guard let target = request.target, !target.isEmpty else { return .failure("pause needs a service name or instance id") }
            guard await manager.pause(target) else { return .failure("no ready instance matches \"\(target)\"") }
            return ControlResponse(ok: true)
        case .resume:
            guard let target = request.target, !target.isEmpty else { return .failure("resume needs a service name or instance id") }
            guard await manager.resume(target) else { return .failure("no suspended instance matches \"\(target)\"") }
            return ControlResponse(ok: true)
        case .services:
            let config = await manager.config
            return ControlResponse(ok: true, services: config.services.values.sorted { $0.name < $1.name }.map(ServiceSummary.init))
        case .summon:
            guard let target = request.target, !target.isEmpty else { return .failure("summon needs a service name") }
            switch await manager.resolve(service: target) {
            case .address(let address, _): return ControlResponse(ok: true, address: address.text)
            case .unknownService: return .failure("there is no service \"\(target)\"")
            case .failure: return .failure("the \(target) instance failed to boot; see summonerd's log")
            }
        case .reload:
            guard let reload else { return .failure("this daemon cannot reload its configuration") }
            switch await reload() {
            case .success(let report): return ControlResponse(ok: true, reload: report)
            case .failure(let error): return .failure("reload refused: \(error)")
            }
        }
    }
}

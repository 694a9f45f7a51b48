import VMLauncher

/// The control API over an `InstanceManager`.
public struct SummonerControlHandler<C: Clock>: ControlRequestHandler where C.Duration == Duration {
    public let manager: InstanceManager<C>
    public let config: SummonerConfig
    public let accelerator: Accelerator

    public init(manager: InstanceManager<C>, config: SummonerConfig, accelerator: Accelerator) {
        self.manager = manager
        self.config = config
        self.accelerator = accelerator
    }

    public func handle(_ request: ControlRequest) async -> ControlResponse {
        switch request.command {
        case .list:
            let instances = await manager.snapshot()
            return ControlResponse(ok: true, instances: request.all == true ? instances : instances.filter { !$0.state.isPool })
        case .status:
            let counters = await manager.counters
            let instances = await manager.snapshot()
            return ControlResponse(
                ok: true,
                status: DaemonStatus(
                    zone: config.zone, accelerator: accelerator.rawValue, libvirtURI: config.libvirtURI,
                    services: config.services.keys.sorted(), liveInstances: instances.filter { $0.state.isLive }.count,
                    pooledInstances: instances.filter { $0.state.isPool }.count, coldBoots: counters.coldBoots,
                    poolResumes: counters.poolResumes, poolCreates: counters.poolCreates,
                    bootFailures: counters.bootFailures, reaped: counters.reaped, adopted: counters.adopted))
        case .stop:
            guard let target = request.target, !target.isEmpty else {
                return .failure("stop needs a service name or instance id")
            }
            guard await manager.stop(target) else { return .failure("no live instance matches \"\(target)\"") }
            return ControlResponse(ok: true)
        }
    }
}

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
            return ControlResponse(ok: true, instances: await manager.snapshot())
        case .status:
            let counters = await manager.counters
            let live = await manager.snapshot().count
            return ControlResponse(
                ok: true,
                status: DaemonStatus(
                    zone: config.zone, accelerator: accelerator.rawValue, libvirtURI: config.libvirtURI,
                    services: config.services.keys.sorted(), liveInstances: live, boots: counters.boots,
                    bootFailures: counters.bootFailures, reaped: counters.reaped))
        case .stop:
            guard let target = request.target, !target.isEmpty else {
                return .failure("stop needs a service name or instance id")
            }
            guard await manager.stop(target) else { return .failure("no live instance matches \"\(target)\"") }
            return ControlResponse(ok: true)
        }
    }
}

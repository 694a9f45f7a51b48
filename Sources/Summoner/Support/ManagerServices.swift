import ServiceLifecycle

/// The reaper as a lifecycle service: ticks the instance table until shutdown.
public struct ReaperService<C: Clock>: Service where C.Duration == Duration {
    public let manager: InstanceManager<C>

    public init(manager: InstanceManager<C>) { self.manager = manager }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await manager.runReaper() }
    }
}

/// Feeds hypervisor lifecycle events to the manager until shutdown.
public struct LifecycleEventService<C: Clock>: Service where C.Duration == Duration {
    public let manager: InstanceManager<C>

    public init(manager: InstanceManager<C>) { self.manager = manager }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await manager.runEventLoop() }
    }
}

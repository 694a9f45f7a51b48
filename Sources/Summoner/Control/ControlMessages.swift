/// The control API's wire format: one JSON object per line over a Unix stream socket, one request
/// per connection. `version` lets the CLI and daemon refuse each other cleanly when they drift.
public enum ControlAPI {
    public static let version = 1
}

/// A request from `summonerctl`.
public struct ControlRequest: Codable, Sendable, Equatable {
    public enum Command: String, Codable, Sendable {
        case list, status, stop, services, summon, reload, pause, resume
    }

    public var version: Int
    public var command: Command
    /// For `stop`, `pause`, `resume`: a service name or instance id; for `summon`: a service name.
    public var target: String?
    /// For `list`: include warm-pool members, not only live instances.
    public var all: Bool?

    public init(command: Command, target: String? = nil, all: Bool? = nil, version: Int = ControlAPI.version) {
        self.version = version
        self.command = command
        self.target = target
        self.all = all
    }
}

/// The daemon's answer.
public struct ControlResponse: Codable, Sendable, Equatable {
    public var version: Int
    public var ok: Bool
    /// One sentence when `ok` is false.
    public var error: String?
    public var instances: [InstanceSnapshot]?
    public var status: DaemonStatus?
    public var services: [ServiceSummary]?
    /// For `summon`: the address the service answers with once ready.
    public var address: String?
    /// For `reload`: what changed.
    public var reload: ReloadReport?

    public init(
        ok: Bool, error: String? = nil, instances: [InstanceSnapshot]? = nil, status: DaemonStatus? = nil,
        services: [ServiceSummary]? = nil, address: String? = nil, reload: ReloadReport? = nil,
        version: Int = ControlAPI.version
    ) {
        self.version = version
        self.ok = ok
        self.error = error
        self.instances = instances
        self.status = status
        self.services = services
        self.address = address
        self.reload = reload
    }

    public static func failure(_ message: String) -> ControlResponse { ControlResponse(ok: false, error: message) }
}

/// What `summonerctl status` shows.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public var zone: String
    public var accelerator: String
    public var libvirtURI: String
    /// False while the connection to libvirtd is down (summonerd is reconnecting).
    public var libvirtConnected: Bool
    public var services: [String]
    /// Instances booting or ready.
    public var liveInstances: Int
    /// Warm-pool domains, created paused.
    public var pooledInstances: Int
    /// Every summon (cold boots, pool resumes, unpauses and restores).
    public var boots: Int
    public var coldBoots: Int
    public var poolResumes: Int
    public var poolCreates: Int
    /// Suspended instances resumed by a lookup (stop mode `pause`).
    public var unpauses: Int
    /// Idle instances suspended instead of destroyed.
    public var suspends: Int
    /// Idle instances saved to a state file (stop mode `save`), and saved ones restored.
    public var saves: Int
    public var restores: Int
    public var bootFailures: Int
    public var reaped: Int
    public var adopted: Int

    public init(
        zone: String, accelerator: String, libvirtURI: String, libvirtConnected: Bool, services: [String],
        liveInstances: Int,
        pooledInstances: Int, coldBoots: Int, poolResumes: Int, poolCreates: Int, unpauses: Int = 0, suspends: Int = 0,
        saves: Int = 0, restores: Int = 0, bootFailures: Int, reaped: Int, adopted: Int
    ) {
        self.zone = zone
        self.accelerator = accelerator
        self.libvirtURI = libvirtURI
        self.libvirtConnected = libvirtConnected
        self.services = services
        self.liveInstances = liveInstances
        self.pooledInstances = pooledInstances
        self.boots = coldBoots + poolResumes + unpauses + restores
        self.coldBoots = coldBoots
        self.poolResumes = poolResumes
        self.poolCreates = poolCreates
        self.unpauses = unpauses
        self.suspends = suspends
        self.saves = saves
        self.restores = restores
        self.bootFailures = bootFailures
        self.reaped = reaped
        self.adopted = adopted
    }

    enum CodingKeys: String, CodingKey {
        case zone, accelerator, services, boots, reaped, adopted, unpauses, suspends, saves, restores
        case libvirtURI = "libvirt_uri"
        case libvirtConnected = "libvirt_connected"
        case liveInstances = "live_instances"
        case pooledInstances = "pooled_instances"
        case coldBoots = "cold_boots"
        case poolResumes = "pool_resumes"
        case poolCreates = "pool_creates"
        case bootFailures = "boot_failures"
    }
}

/// One configured service, as `summonerctl services` shows it.
public struct ServiceSummary: Codable, Sendable, Equatable {
    public var name: String
    public var image: String
    /// The first of `addresses`.
    public var address: String
    public var addresses: [String]
    public var ttl: UInt32
    public var idleTimeoutSeconds: Double
    public var bootTimeoutSeconds: Double
    public var pool: Int
    public var poolState: PoolState
    public var memoryMiB: Int
    public var stopMode: StopMode

    public init(_ service: ServiceConfig) {
        name = service.name
        image = service.image
        address = service.address.text
        addresses = service.addresses.map(\.text)
        ttl = service.ttl
        poolState = service.poolState
        idleTimeoutSeconds = seconds(service.idleTimeout)
        bootTimeoutSeconds = seconds(service.bootTimeout)
        pool = service.poolSize
        memoryMiB = service.memoryMiB
        stopMode = service.stopMode
    }

    enum CodingKeys: String, CodingKey {
        case name, image, address, addresses, ttl, pool
        case poolState = "pool_state"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case bootTimeoutSeconds = "boot_timeout_seconds"
        case memoryMiB = "memory_mib"
        case stopMode = "stop_mode"
    }
}

/// Answers control requests; the daemon implements it over the `InstanceManager`.
public protocol ControlRequestHandler: Sendable {
    func handle(_ request: ControlRequest) async -> ControlResponse
}

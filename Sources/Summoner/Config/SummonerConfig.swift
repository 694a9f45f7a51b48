import DNSFrontend
import GuestStack
import VMLauncher

/// The daemon's whole configuration, validated. Built from TOML by `ConfigLoader`.
public struct SummonerConfig: Sendable, Equatable {
    /// The zone the daemon is authoritative for, lowercase, with a trailing dot: `summon.test.`.
    public var zone: String
    /// Where DNS listens: UDP and TCP on each address, at least one.
    public var dnsListen: [ListenAddress]
    /// Forwarding of out-of-zone queries for allowed clients; nil (the default) refuses them.
    public var dnsForwarding: DNSForwarding?
    /// Path of the control API's Unix socket.
    public var controlSocket: String
    /// Group owning the control socket (mode 0660), so its members may use summonerctl; nil: the
    /// daemon's own group.
    public var controlSocketGroup: String?
    /// libvirt connection URI.
    public var libvirtURI: String
    public var accelerator: AcceleratorChoice
    /// Bridge that guests' NICs attach to.
    public var bridge: String
    /// Guest network settings shared by every service.
    public var network: GuestNetwork
    /// Directory holding `<image>.elf` and `<image>.json`.
    public var imagesDirectory: String
    /// Directory for per-instance files (serial logs).
    public var stateDirectory: String
    /// Where Prometheus scrapes `/metrics`; nil: no metrics endpoint.
    public var metricsListen: ListenAddress?
    /// Where guests send their ready datagram (`ready=` on their command line); nil: serial log only.
    public var readyEndpoint: IPv4Endpoint?
    /// What a graceful shutdown (SIGTERM) does with the instances.
    public var onShutdown: ShutdownPolicy = .stop
    /// Global caps: live instances and domain creates in flight.
    public var maxLiveInstances: Int = 256
    public var maxConcurrentCreates: Int = 4
    /// Services by DNS label, for example `hello` for `hello.summon.test.`.
    public var services: [String: ServiceConfig]

    public init(
        zone: String, dnsListen: [ListenAddress], dnsForwarding: DNSForwarding? = nil, controlSocket: String,
        controlSocketGroup: String? = nil, libvirtURI: String,
        accelerator: AcceleratorChoice, bridge: String, network: GuestNetwork, imagesDirectory: String,
        stateDirectory: String, readyEndpoint: IPv4Endpoint? = nil, metricsListen: ListenAddress? = nil,
        services: [String: ServiceConfig]
    ) {
        self.zone = zone
        self.dnsListen = dnsListen
        self.dnsForwarding = dnsForwarding
        self.controlSocket = controlSocket
        self.controlSocketGroup = controlSocketGroup
        self.libvirtURI = libvirtURI
        self.accelerator = accelerator
        self.bridge = bridge
        self.network = network
        self.imagesDirectory = imagesDirectory
        self.stateDirectory = stateDirectory
        self.readyEndpoint = readyEndpoint
        self.metricsListen = metricsListen
        self.services = services
    }
}

/// An IP address (IPv4, or IPv6 without brackets) and port to serve DNS on, UDP and TCP.
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// Guest networking: prefix length and gateway, and the optional IPv6 prefix.
public struct GuestNetwork: Sendable, Equatable {
    public var prefixLength: UInt8
    public var gateway: IPv4Address
    /// When set, each guest also gets an IPv6 address in this prefix, and its name an AAAA
    /// record: the prefix followed by the host part of its IPv4 address (`fd77::/64` and
    /// `10.77.0.10/24` give `fd77::a`), so no second address has to be allocated or stored.
    public var ipv6Prefix: IPv6Interface?

    public init(prefixLength: UInt8, gateway: IPv4Address, ipv6Prefix: IPv6Interface? = nil) {
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.ipv6Prefix = ipv6Prefix
    }

    /// The IPv6 address of the guest at `address`, nil without an IPv6 prefix.
    public func ipv6Address(for address: IPv4Address) -> IPv6Address? {
        guard let ipv6Prefix else { return nil }
        let hostPart = UInt64(address.value & ~(prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - Int(prefixLength))))
        return IPv6Address(high: ipv6Prefix.address.high, low: ipv6Prefix.address.low | hostPart)
    }

    /// The guest's IPv6 interface for its command line, nil without an IPv6 prefix.
    public func ipv6Interface(for address: IPv4Address) -> IPv6Interface? {
        guard let ipv6Prefix, let ipv6 = ipv6Address(for: address) else { return nil }
        return IPv6Interface(address: ipv6, prefixLength: ipv6Prefix.prefixLength)
    }
}

/// One summonable service.
public struct ServiceConfig: Sendable, Equatable {
    /// The DNS label and the service's name.
    public var name: String
    /// Image name in the images directory.
    public var image: String
    /// The first of `addresses` (the only one for most services); setting it makes it the only one.
    public var address: IPv4Address {
        get { addresses[0] }
        set { addresses = [newValue] }
    }
    /// TTL of the A record, seconds.
    public var ttl: UInt32
    /// Seconds without a lookup after which the instance is stopped.
    public var idleTimeout: Duration
    /// How long a boot may take before the lookup gets SERVFAIL and the domain is destroyed.
    public var bootTimeout: Duration
    public var memoryMiB: Int
    public var vcpus: Int
    /// Domains kept created-but-paused so a lookup resumes one instead of creating it.
    public var poolSize: Int
    /// Every address its instances may take; the first is `address`. With one, pool members
    /// share it with the live instance (only one of them runs at a time); with several, each
    /// instance takes one no other instance of the service holds.
    public var addresses: [IPv4Address]
    /// How its pool members wait: created paused before their first instruction, or booted
    /// until ready and then suspended (a summon is then a resume of a serving guest).
    public var poolState: PoolState = .created
    /// What the reaper does with an idle instance.
    public var stopMode: StopMode = .destroy
    /// Stop mode `shutdown`: how long the guest has to stop on its own before it is destroyed.
    public var shutdownTimeout: Duration = .seconds(2)
    /// How the daemon knows a guest serves, and so when the answer may leave.
    public var readiness: ReadinessMode = .announce

    public init(
        name: String, image: String, address: IPv4Address, ttl: UInt32, idleTimeout: Duration,
        bootTimeout: Duration, memoryMiB: Int, vcpus: Int, poolSize: Int = 1
    ) {
        self.name = name
        self.image = image
        self.addresses = [address]
        self.ttl = ttl
        self.idleTimeout = idleTimeout
        self.bootTimeout = bootTimeout
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.poolSize = poolSize
    }
}

/// How a service's warm-pool domains wait for a lookup.
public enum PoolState: String, Sendable, Equatable, CaseIterable, Codable {
    /// Created with `VIR_DOMAIN_START_PAUSED`: a summon resumes the domain and waits for the
    /// guest to boot (libvirt's resume plus the guest's boot).
    case created
    /// Booted until the guest announces readiness, then suspended: a summon resumes a guest that
    /// already serves. Each pool member needs its own address (`addresses`).
    case booted
}

/// What summonerd does with its instances when it stops gracefully.
public enum ShutdownPolicy: String, Sendable, Equatable, CaseIterable {
    /// Destroy every instance, pool members included.
    case stop
    /// Leave them running; the next summonerd adopts them.
    case leave
}

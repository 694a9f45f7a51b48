/// One live instance as the control API reports it.
public struct InstanceSnapshot: Sendable, Codable, Equatable {
    public var service: String
    public var id: String
    public var state: InstanceState
    public var address: String
    /// The guest's IPv6 address when the config gives guests one (`[network] ipv6_prefix`).
    public var address6: String?
    public var domain: String
    /// How the instance was summoned (`cold`, `pool`, `adopted`); nil for pool members.
    public var mode: String?
    /// Seconds since the summon (or, for pool members, since creation).
    public var uptimeSeconds: Double
    public var idleSeconds: Double
    public var lookups: Int

    public init(
        service: String, id: String, state: InstanceState, address: String, address6: String? = nil, domain: String,
        mode: String?, uptimeSeconds: Double, idleSeconds: Double, lookups: Int
    ) {
        self.service = service
        self.id = id
        self.state = state
        self.address = address
        self.address6 = address6
        self.domain = domain
        self.mode = mode
        self.uptimeSeconds = uptimeSeconds
        self.idleSeconds = idleSeconds
        self.lookups = lookups
    }

    enum CodingKeys: String, CodingKey {
        case service, id, state, address, address6, domain, mode, lookups
        case uptimeSeconds = "uptime_seconds"
        case idleSeconds = "idle_seconds"
    }
}

import GuestStack

/// One instance as the table knows it. `Instant` is the injected clock's instant type.
public struct InstanceRecord<Instant: InstantProtocol>: Sendable, Equatable where Instant.Duration == Duration {
    public var id: String
    public var service: String
    public var address: IPv4Address
    public var domainName: String
    public var state: InstanceState
    /// When the domain was asked for (created, or created paused for the pool).
    public var createdAt: Instant
    /// When a lookup summoned it (the start of its boot); nil for pool members.
    public var summonedAt: Instant?
    /// How it was summoned; nil for pool members.
    public var mode: SummonMode?
    /// When the guest announced readiness.
    public var readyAt: Instant?
    /// The last lookup answered by (or waiting for) this instance; idle time counts from here.
    public var lastLookup: Instant
    /// The time by which a booting instance must be ready.
    public var bootDeadline: Instant?
    /// Lookups this instance served, including those that waited for its boot.
    public var lookups: Int
    /// A pool member summoned while still being created: resume it as soon as it exists.
    public var resumeWhenCreated: Bool
    /// Stop mode `shutdown`: the guest was asked to stop and is destroyed if it still runs at
    /// this time; nil otherwise.
    public var shutdownDeadline: Instant? = nil
    /// A pool member of a `pool_state = "booted"` service: created running, parked (suspended)
    /// once its guest is ready, so a summon resumes a guest that already serves.
    public var poolBoot: Bool = false
    /// A booted pool member whose park (suspend) is in flight.
    public var parking: Bool = false
}

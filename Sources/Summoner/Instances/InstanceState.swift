/// Where an instance is in its life. A small closed set; libvirt's own states are translated
/// into events before they reach the instance table.
public enum InstanceState: String, Sendable, Codable, Equatable {
    /// A warm-pool domain is being created paused.
    case pooling
    /// A warm-pool domain exists, paused before its first instruction, ready to be resumed.
    case pooled
    /// The domain is being created or resumed, or the guest has not announced readiness yet.
    case booting
    /// The guest announced readiness; lookups are answered at once.
    case ready
    /// Suspended in memory after serving (stop mode `pause`); the next lookup resumes it and
    /// the guest carries on where it was.
    case suspended
    /// Being saved to its state file (stop mode `save`); a lookup waits for the save to finish
    /// and then restores it.
    case saving
    /// Saved to a state file; no domain exists and it costs no memory. The next lookup restores
    /// it, and the guest carries on where it was.
    case saved
    /// The domain is being destroyed (idle, failed boot, operator, or shutdown).
    case stopping

    /// True for the states in which the instance serves (or is about to serve) lookups.
    public var isLive: Bool { self == .booting || self == .ready }
    /// True for warm-pool members.
    public var isPool: Bool { self == .pooling || self == .pooled }
    /// True while the instance keeps its guest's state without serving: suspended or saved. Such
    /// an instance holds the service's address, so no other instance of the service is booted.
    public var isDormant: Bool { self == .suspended || self == .saving || self == .saved }
}

/// Why an instance is being stopped; logged and counted.
public enum StopReason: String, Sendable, Equatable {
    case idle
    case bootTimeout = "boot-timeout"
    case bootFailed = "boot-failed"
    case operatorRequest = "operator"
    case shutdown
    /// A domain found at start-up that cannot be mapped to a configured service.
    case unknownDomain = "unknown-domain"
    /// A reload removed the service or changed how its domains are built.
    case reconfigured
    /// The pool is larger than the service's `pool` setting (after a reload).
    case poolShrunk = "pool-shrunk"
    /// An idle guest asked to stop (stop mode `shutdown`) had not ended by its timeout.
    case shutdownTimeout = "shutdown-timeout"
}

/// How an instance's domain came to run, for logs and metrics.
public enum SummonMode: String, Sendable, Codable, Equatable {
    /// Created and started on the lookup (`virDomainCreateXML`).
    case cold
    /// Resumed from the warm pool (`virDomainResume` of a domain created paused).
    case pool
    /// Found running when the daemon started.
    case adopted
    /// Resumed after being suspended by the `pause` stop mode.
    case unpause
    /// Restored from the state file written by the `save` stop mode.
    case restore
}

/// What the reaper does with an idle instance.
public enum StopMode: String, Sendable, Codable, Equatable, CaseIterable {
    /// Destroy the domain; the next lookup boots a fresh guest.
    case destroy
    /// Suspend it in memory; the next lookup resumes it with its state.
    case pause
    /// Save it to a state file and free its memory; the next lookup restores it with its state.
    case save
    /// Ask the guest to stop (a `StopRequest` datagram: it drains its connections and powers
    /// off); destroy it if it has not ended within the service's `shutdown_timeout`.
    case shutdown
}

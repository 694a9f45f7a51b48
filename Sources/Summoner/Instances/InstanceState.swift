/// Where an instance is in its life. A small closed set; libvirt's own states are translated
/// into events before they reach the instance table.
public enum InstanceState: String, Sendable, Codable, Equatable {
    /// The domain is being created or the guest has not announced readiness yet.
    case booting
    /// The guest announced readiness; lookups are answered at once.
    case ready
    /// The domain is being destroyed (idle, failed boot, or shutdown).
    case stopping
}

/// Why an instance is being stopped; logged and counted.
public enum StopReason: String, Sendable, Equatable {
    case idle
    case bootTimeout = "boot-timeout"
    case bootFailed = "boot-failed"
    case operatorRequest = "operator"
    case shutdown
}

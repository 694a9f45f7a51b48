/// What the summoner needs from a virtual machine monitor. The libvirt implementation is
/// `LibvirtHypervisor`; tests use a fake. Every call may block on the hypervisor, so all are async.
public protocol Hypervisor: Sendable {
    /// Creates a transient domain. Running, it starts at once; `paused`, it is created stopped
    /// before its first instruction, so a later `resume` boots it in milliseconds.
    func start(_ spec: DomainSpec, paused: Bool) async throws(HypervisorError)

    /// Resumes a paused domain.
    func resume(domainName: String) async throws(HypervisorError)

    /// Suspends a running domain in memory (the guest keeps its state) and records `mark` on it,
    /// so that a later listing tells it apart from a pool domain that never ran.
    func suspend(domainName: String, mark: SuspendMark) async throws(HypervisorError)

    /// Resumes a domain suspended by `suspend`. Its mark may stay: marks count only while a
    /// domain is paused, and every `suspend` writes its own.
    func unpause(domainName: String) async throws(HypervisorError)

    /// Saves a running domain's memory and device state to the file at `path` and ends the
    /// domain: it then uses no memory. The file is written by the hypervisor's daemon.
    func save(domainName: String, to path: String) async throws(HypervisorError)

    /// Recreates, running, a domain saved by `save` (the guest carries on where it was).
    func restore(from path: String) async throws(HypervisorError)

    /// The domain recorded in a state file written by `save`, if it carries the project's
    /// metadata; nil for a file that is not ours.
    func savedDomain(at path: String) async throws(HypervisorError) -> DomainSummary?

    /// Destroys a domain at once. A domain that is already gone is not an error.
    func stop(domainName: String) async throws(HypervisorError)

    /// The active (running or paused) domains that carry the project's metadata.
    func list() async throws(HypervisorError) -> [DomainSummary]

    /// Lifecycle events (started, stopped, crashed) for every domain, as they happen.
    var events: AsyncStream<DomainEvent> { get }
}

/// Why a running domain was suspended; recorded on the domain, read back by `list`.
public enum SuspendMark: String, Sendable, Equatable {
    /// An idle instance suspended by stop mode `pause` (or `summonerctl pause`).
    case suspended
    /// A warm-pool member whose guest booted until ready (`pool_state = "booted"`).
    case parked
}

/// A domain that carries the project's metadata.
public struct DomainSummary: Sendable, Equatable {
    public var name: String
    public var metadata: DomainMetadata
    /// True when the domain is paused (a warm-pool member, or suspended), false when it runs.
    public var isPaused: Bool
    /// True when it was suspended after serving (`suspend` with mark `.suspended`).
    public var isSuspended: Bool
    /// True when it is a booted pool member, parked (`suspend` with mark `.parked`).
    public var isParked: Bool

    public init(name: String, metadata: DomainMetadata, isPaused: Bool = false, isSuspended: Bool = false, isParked: Bool = false) {
        self.name = name
        self.metadata = metadata
        self.isPaused = isPaused
        self.isSuspended = isSuspended
        self.isParked = isParked
    }
}

/// A change in a domain's life, translated from the hypervisor's own event codes.
public struct DomainEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case started, suspended, resumed, stopped, crashed, other
        /// The connection to the hypervisor dropped (`domainName` is empty); calls fail until
        /// `hypervisorReconnected`.
        case hypervisorDisconnected = "hypervisor-disconnected"
        /// The connection is back (`domainName` is empty): events may have been missed.
        case hypervisorReconnected = "hypervisor-reconnected"
    }

    public var domainName: String
    public var kind: Kind

    public init(domainName: String, kind: Kind) {
        self.domainName = domainName
        self.kind = kind
    }
}

/// A hypervisor call that failed. The text is what an operator reads in the log.
public enum HypervisorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The hypervisor could not be reached.
    case connectionFailed(uri: String, message: String)
    /// A libvirt call failed; `code` is libvirt's `virErrorNumber`, `message` its text.
    case operationFailed(operation: String, domain: String?, code: Int32, message: String)

    public var description: String {
        switch self {
        case .connectionFailed(let uri, let message):
            return "cannot connect to libvirt at \(uri): \(message)"
        case .operationFailed(let operation, let domain, let code, let message):
            let subject = domain.map { " of domain \($0)" } ?? ""
            return "libvirt \(operation)\(subject) failed (error \(code)): \(message)"
        }
    }
}

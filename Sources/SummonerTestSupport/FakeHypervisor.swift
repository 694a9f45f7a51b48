import Foundation
import VMLauncher

/// An in-memory `Hypervisor` that records calls. Tests can make starts fail, and emit events.
public final class FakeHypervisor: Hypervisor, @unchecked Sendable {
    // SAFETY: all mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var running: [String: DomainSpec] = [:]
    private var paused: Set<String> = []
    private var suspended: Set<String> = []
    private var parked: Set<String> = []
    private var _resumed: [String] = []
    private var _started: [DomainSpec] = []
    private var _stopped: [String] = []
    private var failure: HypervisorError?
    private var saveFailure: HypervisorError?
    private var saved: [String: DomainSpec] = [:]
    private var _restored: [String] = []
    private var connected = true
    private let continuation: AsyncStream<DomainEvent>.Continuation
    public let events: AsyncStream<DomainEvent>

    public init() {
        (events, continuation) = AsyncStream.makeStream(of: DomainEvent.self)
    }

    /// Every spec passed to `start`, in order.
    public var started: [DomainSpec] { lock.withLock { _started } }
    /// Every domain name passed to `stop`, in order.
    public var stopped: [String] { lock.withLock { _stopped } }
    /// Names of the domains that exist now, running or paused.
    public var runningNames: Set<String> { lock.withLock { Set(running.keys) } }
    /// Names of the domains that exist paused now.
    public var pausedNames: Set<String> { lock.withLock { paused } }
    /// Every domain name passed to `resume`, in order.
    public var resumed: [String] { lock.withLock { _resumed } }

    /// Makes every following `start` fail with `error` (nil to succeed again).
    public func failStarts(with error: HypervisorError?) { lock.withLock { failure = error } }

    /// Makes every following `save` fail with `error` (nil to succeed again); the domain keeps
    /// running, as libvirt leaves it after a failed save.
    public func failSaves(with error: HypervisorError?) { lock.withLock { saveFailure = error } }

    /// Paths of the state files written by `save` and not restored yet.
    public var savedPaths: Set<String> { lock.withLock { Set(saved.keys) } }
    /// Every path passed to `restore`, in order.
    public var restored: [String] { lock.withLock { _restored } }

    /// Adds a state file as if an earlier run had saved `spec` to `path`.
    public func adoptSaved(_ spec: DomainSpec, at path: String) {
        lock.withLock { saved[path] = spec }
        _ = FileManager.default.createFile(atPath: path, contents: Data(spec.name.utf8))
    }

    /// Adds a domain as if an earlier run had left it behind.
    public func adoptRunning(
        _ spec: DomainSpec, paused isPaused: Bool = false, suspended isSuspended: Bool = false, parked isParked: Bool = false
    ) {
        lock.withLock {
            running[spec.name] = spec
            if isPaused || isSuspended || isParked { paused.insert(spec.name) }
            if isSuspended { suspended.insert(spec.name) }
            if isParked { parked.insert(spec.name) }
        }
    }

    /// Simulates libvirtd going away: every call fails at once until `reconnect`.
    public func disconnect() {
        lock.withLock { connected = false }
        continuation.yield(DomainEvent(domainName: "", kind: .hypervisorDisconnected))
    }

    /// Simulates the connection coming back.
    public func reconnect() {
        lock.withLock { connected = true }
        continuation.yield(DomainEvent(domainName: "", kind: .hypervisorReconnected))
    }

    /// Removes a domain without an event, as if it died while disconnected.
    public func vanish(domainName: String) {
        lock.withLock {
            running[domainName] = nil
            paused.remove(domainName)
        }
    }

    private func checkConnected() throws(HypervisorError) {
        if !lock.withLock({ connected }) {
            throw .connectionFailed(uri: "fake:///", message: "the connection to libvirtd was lost; reconnecting")
        }
    }

    /// Simulates a domain dying on its own (qemu killed, guest crashed).
    public func crash(domainName: String) {
        lock.withLock {
            running[domainName] = nil
            paused.remove(domainName)
        }
        continuation.yield(DomainEvent(domainName: domainName, kind: .crashed))
    }

    public func start(_ spec: DomainSpec, paused startPaused: Bool) async throws(HypervisorError) {
        try checkConnected()
        let error: HypervisorError? = lock.withLock {
            _started.append(spec)
            if let failure { return failure }
            if running[spec.name] != nil {
                return .operationFailed(operation: "create", domain: spec.name, code: 9, message: "domain already exists")
            }
            running[spec.name] = spec
            if startPaused { paused.insert(spec.name) }
            return nil
        }
        if let error { throw error }
    }

    public func resume(domainName: String) async throws(HypervisorError) {
        try checkConnected()
        let error: HypervisorError? = lock.withLock {
            _resumed.append(domainName)
            guard running[domainName] != nil, paused.remove(domainName) != nil else {
                return .operationFailed(operation: "resume", domain: domainName, code: 55, message: "domain is not paused")
            }
            return nil
        }
        if let error { throw error }
    }

    public func suspend(domainName: String, mark: SuspendMark) async throws(HypervisorError) {
        try checkConnected()
        let error: HypervisorError? = lock.withLock {
            guard running[domainName] != nil, !paused.contains(domainName) else {
                return .operationFailed(operation: "suspend", domain: domainName, code: 55, message: "domain is not running")
            }
            paused.insert(domainName)
            switch mark {
            case .suspended: suspended.insert(domainName)
            case .parked: parked.insert(domainName)
            }
            return nil
        }
        if let error { throw error }
    }

    public func unpause(domainName: String) async throws(HypervisorError) {
        try await resume(domainName: domainName)
        lock.withLock {
            suspended.remove(domainName)
            parked.remove(domainName)
        }
    }

    /// Names of the booted pool members parked by `suspend(mark: .parked)` now.
    public var parkedNames: Set<String> { lock.withLock { parked } }

    /// Writes a small file at `path` (so that directory scans see it) and ends the domain.
    public func save(domainName: String, to path: String) async throws(HypervisorError) {
        try checkConnected()
        let error: HypervisorError? = lock.withLock {
            if let saveFailure { return saveFailure }
            guard let spec = running[domainName], !paused.contains(domainName) else {
                return .operationFailed(operation: "save", domain: domainName, code: 55, message: "domain is not running")
            }
            running[domainName] = nil
            saved[path] = spec
            return nil
        }
        if let error { throw error }
        _ = FileManager.default.createFile(atPath: path, contents: Data(domainName.utf8))
    }

    public func restore(from path: String) async throws(HypervisorError) {
        try checkConnected()
        let error: HypervisorError? = lock.withLock {
            _restored.append(path)
            guard let spec = saved.removeValue(forKey: path) else {
                return .operationFailed(operation: "restore", domain: path, code: 38, message: "no such state file")
            }
            guard running[spec.name] == nil else {
                return .operationFailed(operation: "restore", domain: path, code: 9, message: "domain already exists")
            }
            running[spec.name] = spec
            return nil
        }
        if let error { throw error }
    }

    public func savedDomain(at path: String) async throws(HypervisorError) -> DomainSummary? {
        try checkConnected()
        return lock.withLock { saved[path].map { DomainSummary(name: $0.name, metadata: $0.metadata) } }
    }

    /// Names of the domains suspended by `suspend` now.
    public var suspendedNames: Set<String> { lock.withLock { suspended } }

    public func stop(domainName: String) async throws(HypervisorError) {
        try checkConnected()
        lock.withLock {
            _stopped.append(domainName)
            running[domainName] = nil
            paused.remove(domainName)
            suspended.remove(domainName)
            parked.remove(domainName)
        }
    }

    public func list() async throws(HypervisorError) -> [DomainSummary] {
        try checkConnected()
        return lock.withLock {
            running.values.map {
                DomainSummary(
                    name: $0.name, metadata: $0.metadata, isPaused: paused.contains($0.name),
                    isSuspended: suspended.contains($0.name), isParked: parked.contains($0.name))
            }
        }
    }
}

import Foundation
import VMLauncher

/// An in-memory `Hypervisor` that records calls. Tests can make starts fail, and emit events.
public final class FakeHypervisor: Hypervisor, @unchecked Sendable {
    // SAFETY: all mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var running: [String: DomainSpec] = [:]
    private var _started: [DomainSpec] = []
    private var _stopped: [String] = []
    private var failure: HypervisorError?
    private let continuation: AsyncStream<DomainEvent>.Continuation
    public let events: AsyncStream<DomainEvent>

    public init() {
        (events, continuation) = AsyncStream.makeStream(of: DomainEvent.self)
    }

    /// Every spec passed to `start`, in order.
    public var started: [DomainSpec] { lock.withLock { _started } }
    /// Every domain name passed to `stop`, in order.
    public var stopped: [String] { lock.withLock { _stopped } }
    /// Names of the domains running now.
    public var runningNames: Set<String> { lock.withLock { Set(running.keys) } }

    /// Makes every following `start` fail with `error` (nil to succeed again).
    public func failStarts(with error: HypervisorError?) { lock.withLock { failure = error } }

    /// Adds a domain as if an earlier run had left it behind.
    public func adoptRunning(_ spec: DomainSpec) { lock.withLock { running[spec.name] = spec } }

    /// Simulates a domain dying on its own (qemu killed, guest crashed).
    public func crash(domainName: String) {
        lock.withLock { running[domainName] = nil }
        continuation.yield(DomainEvent(domainName: domainName, kind: .crashed))
    }

    public func start(_ spec: DomainSpec) async throws(HypervisorError) {
        let error: HypervisorError? = lock.withLock {
            _started.append(spec)
            if let failure { return failure }
            if running[spec.name] != nil {
                return .operationFailed(operation: "create", domain: spec.name, code: 9, message: "domain already exists")
            }
            running[spec.name] = spec
            return nil
        }
        if let error { throw error }
    }

    public func stop(domainName: String) async throws(HypervisorError) {
        lock.withLock {
            _stopped.append(domainName)
            running[domainName] = nil
        }
    }

    public func list() async throws(HypervisorError) -> [DomainSummary] {
        lock.withLock { running.values.map { DomainSummary(name: $0.name, metadata: $0.metadata) } }
    }
}

import Foundation
import Summoner

/// A `ReadinessProbe` whose guests become ready only when the test says so.
public final class ManualReadiness: ReadinessProbe, @unchecked Sendable {
    // SAFETY: all mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var readyIDs: Set<String> = []
    private var waiting: [String: CheckedContinuation<Void, any Error>] = [:]
    private var cancelled: Set<String> = []

    public init() {}

    /// Instance ids currently waiting for readiness.
    public var waitingIDs: Set<String> { lock.withLock { Set(waiting.keys) } }

    /// Declares `instanceID` ready, now or whenever it starts waiting.
    public func markReady(_ instanceID: String) {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            readyIDs.insert(instanceID)
            return waiting.removeValue(forKey: instanceID)
        }
        continuation?.resume()
    }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        let instanceID = target.instanceID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = lock.withLock { () -> Bool? in
                    if cancelled.remove(instanceID) != nil { return false }
                    if readyIDs.contains(instanceID) { return true }
                    waiting[instanceID] = continuation
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let continuation = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
                guard let waiter = waiting.removeValue(forKey: instanceID) else {
                    cancelled.insert(instanceID)  // cancelled before it started waiting
                    return nil
                }
                return waiter
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}

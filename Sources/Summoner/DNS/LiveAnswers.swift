import Foundation
import GuestStack

/// The answers for services whose instance is ready, readable from the DNS threads without a
/// hop onto the instance manager's actor: with it, an A query for a live name is answered on
/// the UDP thread like any other known name.
///
/// A lookup still counts: each answer is tallied per instance, and the manager takes the tallies
/// (`exchange`) before it decides anything about idle instances and publishes the new answers in
/// the same locked step. So a lookup either is counted before the reaper looks, or is answered
/// from the new set, which no longer holds an instance the reaper is stopping.
public final class LiveAnswers: @unchecked Sendable {
    // SAFETY: `answers` and `lookups` are only touched under `lock`.
    /// One ready instance's answer.
    public struct Answer: Sendable, Equatable {
        public var instanceID: String
        public var address: IPv4Address
        public var ttl: UInt32
    }

    private let lock = NSLock()
    private var answers: [String: Answer] = [:]
    private var lookups: [String: Int] = [:]

    public init() {}

    /// The answer for `service`'s ready instance, counting the lookup; nil when none is ready
    /// (the lookup then goes to the manager, which may summon).
    public func answer(service: String) -> Answer? {
        lock.withLock {
            guard let answer = answers[service] else { return nil }
            lookups[answer.instanceID, default: 0] += 1
            return answer
        }
    }

    /// Under the lock: hands `update` the lookups counted per instance id since the last call,
    /// and publishes the answers it returns.
    func exchange(_ update: (_ lookups: [String: Int]) -> [String: Answer]) {
        lock.lock()
        defer { lock.unlock() }
        let counted = lookups
        lookups = [:]
        answers = update(counted)
    }
}

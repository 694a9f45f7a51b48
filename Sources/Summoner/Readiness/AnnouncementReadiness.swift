import Foundation
import GuestStack

/// Readiness from the guest's ready datagram (`READY <id> <boot-us>` sent to the `ready=`
/// endpoint). The listener feeds datagrams in with `receive`; waiters are released at once.
///
/// A cold-created guest may announce before its watcher starts (libvirt's create returns after
/// the guest is already running), so announcements are kept until claimed, at most `capacity`
/// of them, oldest dropped first: spoofed or stray datagrams cannot grow memory.
public final class AnnouncementReadiness: ReadinessProbe, @unchecked Sendable {
    // SAFETY: all mutable state is only touched under `lock`.
    private let lock = NSLock()
    private var unclaimed: [(id: String, source: IPv4Address?, announcement: ReadyAnnouncement)] = []
    private var waiting: [String: (address: IPv4Address, continuation: CheckedContinuation<Void, any Error>)] = [:]
    private var cancelled: Set<String> = []
    private let capacity: Int
    /// Called with every accepted announcement (for logs and metrics).
    private let onAnnouncement: @Sendable (ReadyAnnouncement, IPv4Address) -> Void

    public init(capacity: Int = 256, onAnnouncement: @escaping @Sendable (ReadyAnnouncement, IPv4Address) -> Void = { _, _ in }) {
        self.capacity = capacity
        self.onAnnouncement = onAnnouncement
    }

    /// Feeds one datagram from `source`. Returns true when it was a well-formed announcement.
    @discardableResult
    public func receive(_ payload: [UInt8], from source: IPv4Address) -> Bool {
        guard let announcement = ReadyAnnouncement(parsing: payload) else { return false }
        announce(announcement, from: source)
        onAnnouncement(announcement, source)
        return true
    }

    /// Records an announcement. A waiter is released only by one from its guest's address;
    /// `source` nil means trusted (tests), released whatever the waiter's address.
    public func announce(_ announcement: ReadyAnnouncement, from source: IPv4Address?) {
        let id = announcement.instanceID
        let continuation = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            if let waiter = waiting[id] {
                guard source == nil || waiter.address == source else { return nil }  // not from that guest
                waiting[id] = nil
                return waiter.continuation
            }
            unclaimed.removeAll { $0.id == id }
            unclaimed.append((id, source, announcement))
            if unclaimed.count > capacity { unclaimed.removeFirst(unclaimed.count - capacity) }
            return nil
        }
        continuation?.resume()
    }

    /// Instance ids waiting for their announcement now.
    public var waitingIDs: Set<String> { lock.withLock { Set(waiting.keys) } }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        let id = target.instanceID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = lock.withLock { () -> Bool? in
                    if cancelled.remove(id) != nil { return false }
                    if let index = unclaimed.firstIndex(where: { $0.id == id && ($0.source == nil || $0.source == target.address) }) {
                        unclaimed.remove(at: index)
                        return true
                    }
                    waiting[id] = (target.address, continuation)
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
                guard let waiter = waiting.removeValue(forKey: id) else {
                    cancelled.insert(id)
                    return nil
                }
                return waiter.continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}

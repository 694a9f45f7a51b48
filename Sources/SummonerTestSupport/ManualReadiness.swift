import GuestStack
import Summoner

/// A `ReadinessProbe` whose guests become ready only when the test says so: the real
/// announcement probe, fed trusted announcements by hand.
public final class ManualReadiness: ReadinessProbe, Sendable {
    private let announcements = AnnouncementReadiness()

    public init() {}

    /// Instance ids currently waiting for readiness.
    public var waitingIDs: Set<String> { announcements.waitingIDs }

    /// Declares `instanceID` ready, now or whenever it starts waiting.
    public func markReady(_ instanceID: String) {
        announcements.announce(ReadyAnnouncement(instanceID: instanceID, bootMicroseconds: 0), from: nil)
    }

    public func waitUntilReady(_ target: ReadinessTarget) async throws {
        try await announcements.waitUntilReady(target)
    }
}

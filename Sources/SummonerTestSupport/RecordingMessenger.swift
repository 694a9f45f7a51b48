import Foundation
import GuestStack
import Summoner

/// A `GuestMessenger` that records what it is asked to send.
public final class RecordingMessenger: GuestMessenger, @unchecked Sendable {
    // SAFETY: `_sent` is only touched under `lock`.
    private let lock = NSLock()
    private var _sent: [(payload: [UInt8], endpoint: IPv4Endpoint)] = []

    public init() {}

    /// Every datagram sent, as text, with its destination, in order.
    public var sent: [(text: String, endpoint: IPv4Endpoint)] {
        lock.withLock { _sent.map { (String(decoding: $0.payload, as: UTF8.self), $0.endpoint) } }
    }

    public func send(_ payload: [UInt8], to endpoint: IPv4Endpoint) async throws {
        lock.withLock { _sent.append((payload, endpoint)) }
    }
}

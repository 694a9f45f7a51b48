/// When to send the readiness datagram `READY <id> <boot-us>` to the host: once the stack is up
/// and the application listens, then again a few milliseconds apart in case one is lost.
/// Pure timing: the caller sends when `due(now:)` says so.
public struct ReadinessAnnouncer {
    /// Sends in all.
    public static let repeats = 3
    /// Microseconds between sends.
    public static let interval: UInt64 = 5_000

    public private(set) var sent = 0
    var nextAt: UInt64

    /// Starts announcing at `start`.
    public init(start: UInt64) { nextAt = start }

    /// True when a datagram should go out now; records it as sent.
    public mutating func due(now: UInt64) -> Bool {
        guard sent < Self.repeats, now >= nextAt else { return false }
        sent += 1
        nextAt = now + Self.interval
        return true
    }

    /// When the next send is due, or nil when all went out.
    public var nextDeadline: UInt64? { sent < Self.repeats ? nextAt : nil }

    /// The datagram's text: `READY <id> <boot-us>` (see `ReadyLine`).
    public static func payload(instanceID: String, bootMicroseconds: UInt64) -> [UInt8] {
        ReadyLine.datagram(instanceID: instanceID, bootMicroseconds: bootMicroseconds)
    }
}

/// The decimal digits of `value`, without a String (cheap in the guest).
public func decimalBytes(_ value: UInt64) -> [UInt8] {
    var digits: [UInt8] = []
    var rest = value
    repeat {
        digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
        rest /= 10
    } while rest > 0
    return digits.reversed()
}

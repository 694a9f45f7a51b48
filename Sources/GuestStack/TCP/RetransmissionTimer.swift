/// The retransmission timeout of RFC 6298 as pure functions of the round-trip samples: no
/// clock inside, so tests feed samples and check the numbers. Times are microseconds.
public struct RetransmissionTimer: Equatable, Sendable {
    /// RFC 6298 (2.1): before any sample, one second.
    public static let initial: UInt64 = 1_000_000
    /// Below RFC 6298's one second, as Linux does: on a bridge, round trips are sub-millisecond.
    public static let minimum: UInt64 = 200_000
    public static let maximum: UInt64 = 60_000_000

    public private(set) var smoothedRTT: UInt64? = nil
    public private(set) var variation: UInt64 = 0
    /// The current timeout, backoff included.
    public private(set) var timeout: UInt64 = initial

    public init() {}

    /// Takes one round-trip sample (never from a retransmitted segment: Karn's rule).
    public func sampled(_ rtt: UInt64) -> RetransmissionTimer {
        var next = self
        if let srtt = smoothedRTT {
            let difference = srtt > rtt ? srtt - rtt : rtt - srtt
            next.variation = (3 * variation + difference) / 4  // beta = 1/4
            next.smoothedRTT = (7 * srtt + rtt) / 8  // alpha = 1/8
        } else {
            next.smoothedRTT = rtt
            next.variation = rtt / 2
        }
        next.timeout = Self.clamp(next.smoothedRTT! + max(1_000, 4 * next.variation))  // G = 1 ms
        return next
    }

    /// The timeout doubled after an expiry (RFC 6298, 5.5).
    public func backedOff() -> RetransmissionTimer {
        var next = self
        next.timeout = Self.clamp(timeout * 2)
        return next
    }

    static func clamp(_ value: UInt64) -> UInt64 { min(max(value, minimum), maximum) }
}

/// Frames waiting for an ARP or neighbor discovery answer, with the request retries, then the
/// frames are dropped, as a host would report "no route" after its own retries.
///
/// Retries start fast and back off (25 ms, doubling, at most 1 s): just after boot the first
/// request is often lost while the host's side of the link comes up, and the readiness
/// datagram waits on this very resolution, so a one-second first retry would add a second to
/// every summon.
struct NeighborResolver<Address: Equatable> {
    struct Waiting {
        var address: Address
        var frames: [[UInt8]]
        var nextRequestAt: UInt64
        var requestsSent: Int
    }

    static var firstRetryInterval: UInt64 { 25_000 }
    static var longestRetryInterval: UInt64 { 1_000_000 }
    static var maximumRequests: Int { 8 }

    /// The wait after the `sent`-th request: 25, 50, 100, 200, 400, 800, 1000 ms.
    static func retryInterval(afterRequests sent: Int) -> UInt64 {
        min(firstRetryInterval << UInt64(min(sent - 1, 10)), longestRetryInterval)
    }
    static var maximumAddresses: Int { 8 }
    static var maximumFramesPerAddress: Int { 16 }

    var waiting: [Waiting] = []

    /// Queues `frame` (its destination MAC to be filled in) for `address`. Returns true when a
    /// request should go out now (the first frame for that address).
    mutating func enqueue(_ frame: [UInt8], for address: Address, now: UInt64) -> Bool {
        for index in waiting.indices where waiting[index].address == address {
            if waiting[index].frames.count < Self.maximumFramesPerAddress { waiting[index].frames.append(frame) }
            return false
        }
        guard waiting.count < Self.maximumAddresses else { return false }
        waiting.append(
            Waiting(address: address, frames: [frame], nextRequestAt: now + Self.retryInterval(afterRequests: 1), requestsSent: 1))
        return true
    }

    /// True while frames wait for `address` (RFC 4861's INCOMPLETE state).
    func isWaiting(for address: Address) -> Bool {
        for entry in waiting where entry.address == address { return true }
        return false
    }

    /// The frames for `address`, now resolved, removed from the queue.
    mutating func resolved(_ address: Address) -> [[UInt8]] {
        for index in waiting.indices where waiting[index].address == address {
            return waiting.remove(at: index).frames
        }
        return []
    }

    /// Addresses due for another request; gives up on those asked often enough.
    mutating func due(now: UInt64) -> [Address] {
        var addresses: [Address] = []
        var index = 0
        while index < waiting.count {
            if waiting[index].nextRequestAt <= now {
                if waiting[index].requestsSent >= Self.maximumRequests {
                    waiting.remove(at: index)
                    continue
                }
                waiting[index].requestsSent += 1
                waiting[index].nextRequestAt = now + Self.retryInterval(afterRequests: waiting[index].requestsSent)
                addresses.append(waiting[index].address)
            }
            index += 1
        }
        return addresses
    }

    /// The earliest retry time, or nil with nothing waiting.
    var nextDeadline: UInt64? {
        var earliest: UInt64? = nil
        for entry in waiting where earliest == nil || entry.nextRequestAt < earliest! { earliest = entry.nextRequestAt }
        return earliest
    }
}

typealias ARPResolver = NeighborResolver<IPv4Address>
typealias NDPResolver = NeighborResolver<IPv6Address>

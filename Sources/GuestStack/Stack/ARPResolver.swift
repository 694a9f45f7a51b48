/// Frames waiting for an ARP answer, with the request retries, then the frames are dropped, as
/// a host would report "no route" after its own retries.
///
/// Retries start fast and back off (25 ms, doubling, at most 1 s): just after boot the first
/// request is often lost while the host's side of the link comes up, and the readiness
/// datagram waits on this very resolution, so a one-second first retry would add a second to
/// every summon.
struct ARPResolver {
    struct Waiting {
        var address: IPv4Address
        var frames: [[UInt8]]
        var nextRequestAt: UInt64
        var requestsSent: Int
    }

    static let firstRetryInterval: UInt64 = 25_000
    static let longestRetryInterval: UInt64 = 1_000_000
    static let maximumRequests = 8

    /// The wait after the `sent`-th request: 25, 50, 100, 200, 400, 800, 1000 ms.
    static func retryInterval(afterRequests sent: Int) -> UInt64 {
        min(firstRetryInterval << UInt64(min(sent - 1, 10)), longestRetryInterval)
    }
    static let maximumAddresses = 8
    static let maximumFramesPerAddress = 16

    var waiting: [Waiting] = []

    /// Queues `frame` (its destination MAC to be filled in) for `address`. Returns true when an
    /// ARP request should go out now (the first frame for that address).
    mutating func enqueue(_ frame: [UInt8], for address: IPv4Address, now: UInt64) -> Bool {
        for index in waiting.indices where waiting[index].address == address {
            if waiting[index].frames.count < Self.maximumFramesPerAddress { waiting[index].frames.append(frame) }
            return false
        }
        guard waiting.count < Self.maximumAddresses else { return false }
        waiting.append(
            Waiting(address: address, frames: [frame], nextRequestAt: now + Self.retryInterval(afterRequests: 1), requestsSent: 1))
        return true
    }

    /// The frames for `address`, now resolved, removed from the queue.
    mutating func resolved(_ address: IPv4Address) -> [[UInt8]] {
        for index in waiting.indices where waiting[index].address == address {
            return waiting.remove(at: index).frames
        }
        return []
    }

    /// Addresses due for another request; gives up on those asked often enough.
    mutating func due(now: UInt64) -> [IPv4Address] {
        var addresses: [IPv4Address] = []
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

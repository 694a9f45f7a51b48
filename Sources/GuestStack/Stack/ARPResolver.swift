/// Frames waiting for an ARP answer, with the request retries (one per second, three in all,
/// then the frames are dropped, as a host would report "no route" after its own retries).
struct ARPResolver {
    struct Waiting {
        var address: IPv4Address
        var frames: [[UInt8]]
        var nextRequestAt: UInt64
        var requestsSent: Int
    }

    static let retryInterval: UInt64 = 1_000_000
    static let maximumRequests = 3
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
        waiting.append(Waiting(address: address, frames: [frame], nextRequestAt: now + Self.retryInterval, requestsSent: 1))
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
                waiting[index].nextRequestAt = now + Self.retryInterval
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

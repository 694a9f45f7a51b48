@testable import GuestStack

/// One direction of a simulated Ethernet link that loses, duplicates, reorders (by random
/// delay) and truncates frames, and refuses frames above its MTU. Time is microseconds.
struct LossyLink {
    struct Settings {
        var lossPercent: UInt64 = 0
        var duplicatePercent: UInt64 = 0
        var truncatePercent: UInt64 = 0
        var baseDelay: UInt64 = 500
        var jitter: UInt64 = 0
        var mtu = 1500
    }

    var settings: Settings
    var random: DeterministicRandom
    var inFlight: [(deliverAt: UInt64, frame: [UInt8])] = []
    var dropped = 0

    init(_ settings: Settings, seed: UInt64) {
        self.settings = settings
        random = DeterministicRandom(seed: seed)
    }

    mutating func send(_ frame: [UInt8], now: UInt64) {
        guard frame.count - EthernetFrame.headerLength <= settings.mtu, !random.chance(settings.lossPercent) else {
            dropped += 1
            return
        }
        var copies = random.chance(settings.duplicatePercent) ? 2 : 1
        while copies > 0 {
            var bytes = frame
            if random.chance(settings.truncatePercent) && bytes.count > 15 {
                bytes.removeLast(1 + Int(random.next() % UInt64(bytes.count - 15)))
            }
            let delay = settings.baseDelay + (settings.jitter == 0 ? 0 : random.next() % settings.jitter)
            inFlight.append((now + delay, bytes))
            copies -= 1
        }
    }

    /// Frames whose delivery time has come, in delivery-time order.
    mutating func deliver(now: UInt64) -> [[UInt8]] {
        var due: [(deliverAt: UInt64, frame: [UInt8])] = []
        inFlight.removeAll { entry in
            if entry.deliverAt <= now {
                due.append(entry)
                return true
            }
            return false
        }
        return due.sorted { $0.deliverAt < $1.deliverAt }.map { $0.frame }
    }

    var nextDelivery: UInt64? { inFlight.map { $0.deliverAt }.min() }
}

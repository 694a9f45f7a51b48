/// IPv4-to-Ethernet address mappings learned from ARP, a small fixed table: the guest talks to
/// a gateway and a handful of peers on its bridge. When full, the entry expiring first goes.
public struct ARPCache {
    struct Entry {
        var address: IPv4Address
        var hardware: MACAddress
        var expiresAt: UInt64
    }

    /// How long a mapping is trusted, in microseconds (Linux keeps them for similar times).
    public static let lifetime: UInt64 = 60_000_000
    public let capacity: Int
    var entries: [Entry] = []

    public init(capacity: Int = 32) { self.capacity = capacity }

    /// The hardware address for `address`, unless unknown or expired.
    public func lookup(_ address: IPv4Address, now: UInt64) -> MACAddress? {
        for entry in entries where entry.address == address {
            return entry.expiresAt > now ? entry.hardware : nil
        }
        return nil
    }

    /// Records or refreshes a mapping.
    public mutating func insert(_ address: IPv4Address, _ hardware: MACAddress, now: UInt64) {
        let entry = Entry(address: address, hardware: hardware, expiresAt: now + Self.lifetime)
        for index in entries.indices where entries[index].address == address {
            entries[index] = entry
            return
        }
        if entries.count < capacity {
            entries.append(entry)
            return
        }
        var oldest = 0
        for index in entries.indices where entries[index].expiresAt < entries[oldest].expiresAt { oldest = index }
        entries[oldest] = entry
    }

    /// True when `address` has an entry, expired or not (RFC 826 updates only known senders).
    public func contains(_ address: IPv4Address) -> Bool {
        for entry in entries where entry.address == address { return true }
        return false
    }
}

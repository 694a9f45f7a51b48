/// IP-to-Ethernet address mappings learned from ARP (IPv4) or neighbor discovery (IPv6), a
/// small fixed table: the guest talks to a gateway and a handful of peers on its bridge. When
/// full, the entry expiring first goes.
public struct NeighborCache<Address: Equatable> {
    struct Entry {
        var address: Address
        var hardware: MACAddress
        var expiresAt: UInt64
    }

    /// How long a mapping is trusted, in microseconds (Linux keeps them for similar times).
    public static var lifetime: UInt64 { 60_000_000 }
    public let capacity: Int
    var entries: [Entry] = []

    public init(capacity: Int = 32) { self.capacity = capacity }

    /// The hardware address for `address`, unless unknown or expired.
    public func lookup(_ address: Address, now: UInt64) -> MACAddress? {
        for entry in entries where entry.address == address {
            return entry.expiresAt > now ? entry.hardware : nil
        }
        return nil
    }

    /// Records or refreshes a mapping.
    public mutating func insert(_ address: Address, _ hardware: MACAddress, now: UInt64) {
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
    public func contains(_ address: Address) -> Bool {
        for entry in entries where entry.address == address { return true }
        return false
    }
}

/// IPv4 neighbors, learned from ARP.
public typealias ARPCache = NeighborCache<IPv4Address>
/// IPv6 neighbors, learned from neighbor discovery.
public typealias NDPCache = NeighborCache<IPv6Address>

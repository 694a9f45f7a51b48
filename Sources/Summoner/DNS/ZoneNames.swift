import Foundation
import GuestStack

/// The zone's names as the DNS fast path needs them, readable without waiting on the manager
/// actor: the configured services (so NXDOMAIN and no-data are answered synchronously) and the
/// guests' IPv6 addressing (so AAAA answers are too). The manager replaces both on reload.
public final class ZoneNames: @unchecked Sendable {
    // SAFETY: `names` and `network` are only touched under `lock`.
    private let lock = NSLock()
    private var names: Set<String>
    private var network: GuestNetwork

    public init(_ names: some Sequence<String>, network: GuestNetwork) {
        self.names = Set(names)
        self.network = network
    }

    public func contains(_ name: String) -> Bool { lock.withLock { names.contains(name) } }

    /// True when guests get IPv6 addresses, so service names have AAAA records.
    public var hasIPv6: Bool { lock.withLock { network.ipv6Prefix != nil } }

    /// The IPv6 address of the guest at `address`, nil without an IPv6 prefix.
    public func ipv6Address(for address: IPv4Address) -> IPv6Address? {
        lock.withLock { network.ipv6Address(for: address) }
    }

    func replace(with new: some Sequence<String>, network: GuestNetwork) {
        let set = Set(new)
        lock.withLock {
            names = set
            self.network = network
        }
    }
}

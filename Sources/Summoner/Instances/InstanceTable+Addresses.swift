import GuestStack
import VMLauncher

/// Which address an instance takes, and whether a found domain may keep its own.
extension InstanceTable {
    /// The address a new instance of `service` takes. With one configured address, that one:
    /// pool members share it with the live instance, and only one of them runs at a time. With
    /// several, the first that no instance of the service holds (in any state: a stopping
    /// domain still answers on its address until it is gone); nil when all are held.
    func freeAddress(_ service: String, _ policy: ServicePolicy) -> IPv4Address? {
        guard policy.addresses.count > 1 else { return policy.address }
        let held = Set(instances.values.filter { $0.service == service }.map(\.address))
        return policy.addresses.first { !held.contains($0) }
    }

    /// True when `metadata.address` is one of the service's and, when the service has several,
    /// no instance of it holds that address yet; and the guest has the IPv6 address the
    /// configuration gives it, or none when it gives none.
    func isOwnAddress(_ metadata: DomainMetadata, _ policy: ServicePolicy) -> Bool {
        guard policy.addresses.contains(metadata.address),
            metadata.address6 == policy.network?.ipv6Address(for: metadata.address)
        else { return false }
        return policy.addresses.count == 1
            || !instances.values.contains { $0.service == metadata.service && $0.address == metadata.address }
    }
}

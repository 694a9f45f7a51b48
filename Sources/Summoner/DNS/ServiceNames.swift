import Foundation

/// The configured service names, readable without waiting on the manager actor, so the DNS
/// fast path can answer NXDOMAIN and no-data synchronously. The manager replaces it on reload.
public final class ServiceNames: @unchecked Sendable {
    // SAFETY: `names` is only touched under `lock`.
    private let lock = NSLock()
    private var names: Set<String>

    public init(_ names: some Sequence<String>) { self.names = Set(names) }

    public func contains(_ name: String) -> Bool { lock.withLock { names.contains(name) } }

    func replace(with new: some Sequence<String>) {
        let set = Set(new)
        lock.withLock { names = set }
    }
}

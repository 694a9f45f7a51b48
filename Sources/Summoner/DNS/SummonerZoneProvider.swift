import DNSFrontend
import GuestStack

/// Answers the zone's names from the configured services: `<service>.<zone>` has an A record
/// whose lookup summons the service's instance. The set of services is the manager's, so a
/// reload is seen at once.
public struct SummonerZoneProvider<C: Clock>: ZoneAnswerProvider where C.Duration == Duration {
    public let manager: InstanceManager<C>

    public init(manager: InstanceManager<C>) {
        self.manager = manager
    }

    public func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        guard labels.count == 1, let name = labels.first else { return .nameError }
        // Only an address query summons; other types must not boot a VM.
        guard type == .a || type == .any else { return await manager.serviceExists(name) ? .noData : .nameError }
        switch await manager.resolve(service: name) {
        case .address(let address, let ttl): return .addresses([DNSIPv4Address(address.value)], ttl: ttl)
        case .unknownService: return .nameError
        case .failure: return .serverFailure
        }
    }
}

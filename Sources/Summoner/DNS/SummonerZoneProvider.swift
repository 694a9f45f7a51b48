import DNSFrontend
import GuestStack

/// Answers the zone's names from the configured services: `<service>.<zone>` has an A record
/// whose lookup summons the service's instance.
///
/// Only an A query summons. Every other type, ANY included (the responder turns its no-data
/// into RFC 8482's minimal HINFO answer), is answered at once without touching the manager,
/// as are names that are not services and A queries for a service whose instance is ready
/// (from `LiveAnswers`, which counts them). The set of names is the manager's, so a reload is
/// seen at once.
public struct SummonerZoneProvider<C: Clock>: ZoneAnswerProvider where C.Duration == Duration {
    public let manager: InstanceManager<C>

    public init(manager: InstanceManager<C>) {
        self.manager = manager
    }

    public func immediateLookup(labels: [String], type: DNSRecordType) -> ZoneLookupResult? {
        guard labels.count == 1, let name = labels.first, manager.serviceNames.contains(name) else { return .nameError }
        guard type == .a else { return .noData }
        guard let live = manager.liveAnswers.answer(service: name) else { return nil }
        return .addresses([DNSIPv4Address(live.address.value)], ttl: live.ttl)
    }

    public func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        if let known = immediateLookup(labels: labels, type: type) { return known }
        switch await manager.resolve(service: labels[0]) {
        case .address(let address, let ttl): return .addresses([DNSIPv4Address(address.value)], ttl: ttl)
        case .unknownService: return .nameError
        case .failure: return .serverFailure
        }
    }
}

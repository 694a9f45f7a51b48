import DNSFrontend
import GuestStack

/// Answers the zone's names from the configured services: `<service>.<zone>` has an A record,
/// and an AAAA record when guests have IPv6 (`[network] ipv6_prefix`), whose lookup summons the
/// service's instance.
///
/// Only an A or AAAA query summons. Every other type, ANY included (the responder turns its
/// no-data into RFC 8482's minimal HINFO answer), is answered at once without touching the
/// manager, as are names that are not services and address queries for a service whose
/// instance is ready (from `LiveAnswers`, which counts them). The names and the IPv6 prefix are
/// the manager's, so a reload is seen at once.
public struct SummonerZoneProvider<C: Clock>: ZoneAnswerProvider where C.Duration == Duration {
    public let manager: InstanceManager<C>

    public init(manager: InstanceManager<C>) {
        self.manager = manager
    }

    public func immediateLookup(labels: [String], type: DNSRecordType) -> ZoneLookupResult? {
        let names = manager.zoneNames
        guard labels.count == 1, let name = labels.first, names.contains(name) else { return .nameError }
        guard type == .a || (type == .aaaa && names.hasIPv6) else { return .noData }
        guard let live = manager.liveAnswers.answer(service: name) else { return nil }
        return answer(type: type, address: live.address, ttl: live.ttl)
    }

    /// The A or AAAA answer for the instance at `address`.
    func answer(type: DNSRecordType, address: IPv4Address, ttl: UInt32) -> ZoneLookupResult {
        guard type == .aaaa else { return .addresses([DNSIPv4Address(address.value)], ttl: ttl) }
        // nil only if a reload took the prefix away while this lookup waited for its summon.
        guard let ipv6 = manager.zoneNames.ipv6Address(for: address) else { return .noData }
        return .ipv6Addresses([DNSIPv6Address(high: ipv6.high, low: ipv6.low)], ttl: ttl)
    }

    public func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        if let known = immediateLookup(labels: labels, type: type) { return known }
        switch await manager.resolve(service: labels[0]) {
        case .address(let address, let ttl): return answer(type: type, address: address, ttl: ttl)
        case .unknownService: return .nameError
        case .failure: return .serverFailure
        }
    }
}

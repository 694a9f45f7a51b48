/// The seam between DNS and whatever owns the zone's names (the summoner).
///
/// The frontend asks; the provider may take its time (a summon waits for a guest to boot)
/// while every other query is answered at once. The frontend knows nothing about VMs.
///
/// Two ways to answer: `immediateLookup` is asked first, synchronously, on the transport's event
/// loop; only when it returns nil is `lookup` awaited in a task. A provider whose answer is
/// already known (an unknown name, a live instance, a static table) should give it from
/// `immediateLookup`: that saves a task and two thread hops per query.
public protocol ZoneAnswerProvider: Sendable {
    /// Answers a question for a name strictly below the zone apex, taking as long as it needs.
    /// - Parameters:
    ///   - labels: the name's labels below the apex, lowercased, most specific first
    ///     (`["hello"]` for `hello.summon.test.`).
    ///   - type: the queried type; never OPT or a zone-transfer type. `.any` must not cause
    ///     side effects such as a summon: the responder answers it minimally (RFC 8482).
    func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult

    /// The answer if it is known without waiting, else nil. Must not block.
    ///
    /// The default returns nil, so every query goes through `lookup`.
    func immediateLookup(labels: [String], type: DNSRecordType) -> ZoneLookupResult?
}

extension ZoneAnswerProvider {
    /// Never answers at once: every query is awaited through `lookup`.
    public func immediateLookup(labels: [String], type: DNSRecordType) -> ZoneLookupResult? { nil }
}

/// What a provider knows about a name.
public enum ZoneLookupResult: Sendable, Equatable {
    /// The name has these A records.
    case addresses([DNSIPv4Address], ttl: UInt32)
    /// The name has these AAAA records.
    case ipv6Addresses([DNSIPv6Address], ttl: UInt32)
    /// The name exists but has no records of the queried type.
    case noData
    /// The name does not exist.
    case nameError
    /// The name exists but cannot be answered now (a boot failed or timed out).
    case serverFailure
}

/// The seam between DNS and whatever owns the zone's names (the summoner).
///
/// The frontend asks; the provider may take its time (a summon waits for a guest to boot)
/// while every other query is answered at once. The frontend knows nothing about VMs.
public protocol ZoneAnswerProvider: Sendable {
    /// Answers a question for a name strictly below the zone apex.
    /// - Parameters:
    ///   - labels: the name's labels below the apex, lowercased, most specific first
    ///     (`["hello"]` for `hello.summon.test.`).
    ///   - type: the queried type (never OPT).
    func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult
}

/// What a provider knows about a name.
public enum ZoneLookupResult: Sendable, Equatable {
    /// The name has these A records.
    case addresses([DNSIPv4Address], ttl: UInt32)
    /// The name exists but has no records of the queried type.
    case noData
    /// The name does not exist.
    case nameError
    /// The name exists but cannot be answered now (a boot failed or timed out).
    case serverFailure
}

/// A fixed table of names and addresses: the in-memory `ZoneAnswerProvider`, for tests, the
/// fuzzer, the end-to-end test server and the benchmark.
///
/// Names listed in `delayed` are answered only through the async `lookup`, after sleeping,
/// which lets tests see slow answers overtaken by fast ones (pipelining over TCP).
public struct StaticZoneProvider: ZoneAnswerProvider {
    /// A-record addresses by the name's labels below the apex, lowercased (`"hello"`,
    /// `"www.hello"`).
    public var addresses: [String: [DNSIPv4Address]]
    /// TTL of every A record.
    public var ttl: UInt32
    /// Names answered only after this delay, through the async path.
    public var delayed: [String: Duration]

    /// Creates a table; `delayed` names must also be in `addresses` to have records.
    public init(
        addresses: [String: [DNSIPv4Address]], ttl: UInt32 = 30, delayed: [String: Duration] = [:]
    ) {
        self.addresses = addresses
        self.ttl = ttl
        self.delayed = delayed
    }

    public func immediateLookup(labels: [String], type: DNSRecordType) -> ZoneLookupResult? {
        let key = labels.joined(separator: ".")
        guard delayed[key] == nil else { return nil }
        return answer(key: key, type: type)
    }

    public func lookup(labels: [String], type: DNSRecordType) async -> ZoneLookupResult {
        let key = labels.joined(separator: ".")
        if let delay = delayed[key] { try? await Task.sleep(for: delay) }
        return answer(key: key, type: type)
    }

    /// Like the summoner: only A has data; ANY gets no data here (the responder turns that into
    /// the RFC 8482 minimal answer).
    private func answer(key: String, type: DNSRecordType) -> ZoneLookupResult {
        guard let found = addresses[key] else {
            // A name with names below it exists even without records (an empty non-terminal).
            let suffix = "." + key
            return addresses.keys.contains { $0.hasSuffix(suffix) } ? .noData : .nameError
        }
        guard type == .a, !found.isEmpty else { return .noData }
        return .addresses(found, ttl: ttl)
    }
}

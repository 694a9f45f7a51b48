import Prometheus

/// The daemon's Prometheus metrics. Event counters are recorded as things happen; instance
/// gauges are refreshed from the manager just before each scrape.
public final class SummonerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let summons: [SummonMode: Counter]
    private let readyLatency: [SummonMode: DurationHistogram]
    private let bootFailures: Counter
    private let reaped: Counter
    private let liveInstances: Gauge
    private let pooledInstances: Gauge
    private let dnsResponses: [String: Counter]

    /// The rcodes counted by name; anything else is `other`.
    static let rcodes = ["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR", "NOTIMP", "BADVERS", "other"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let buckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].map { .milliseconds($0) }
        var summons: [SummonMode: Counter] = [:]
        var latency: [SummonMode: DurationHistogram] = [:]
        for mode in [SummonMode.cold, .pool, .unpause, .restore] {
            summons[mode] = registry.makeCounter(
                name: "summoner_summons_total", labels: [("mode", mode.rawValue)],
                help: "Summons: lookups that started an instance, by mode (cold create, pool resume, unpause, restore).")
            latency[mode] = registry.makeDurationHistogram(
                name: "summoner_lookup_to_ready_seconds", labels: [("mode", mode.rawValue)], buckets: buckets,
                help: "Time from the lookup that summoned an instance to the guest's readiness.")
        }
        self.summons = summons
        self.readyLatency = latency
        bootFailures = registry.makeCounter(name: "summoner_boot_failures_total", help: "Boots that failed or timed out.")
        reaped = registry.makeCounter(name: "summoner_reaped_total", help: "Instances stopped after their idle timeout.")
        liveInstances = registry.makeGauge(
            name: "summoner_instances", labels: [("state", "live")], help: "Instances, by state (live or pooled).")
        pooledInstances = registry.makeGauge(
            name: "summoner_instances", labels: [("state", "pooled")], help: "Instances, by state (live or pooled).")
        var responses: [String: Counter] = [:]
        for rcode in Self.rcodes {
            responses[rcode] = registry.makeCounter(
                name: "summoner_dns_responses_total", labels: [("rcode", rcode)], help: "DNS responses sent, by rcode.")
        }
        dnsResponses = responses
    }

    func summoned(mode: SummonMode) { summons[mode]?.increment() }
    func ready(mode: SummonMode, after latency: Duration) { readyLatency[mode]?.record(latency) }
    func bootFailed() { bootFailures.increment() }
    func reapedIdle() { reaped.increment() }

    /// Counts one DNS response by its rcode's mnemonic (`NOERROR`, `NXDOMAIN`, ...).
    public func dnsResponse(rcode: String) {
        (dnsResponses[rcode] ?? dnsResponses["other"])?.increment()
    }

    /// Sets the instance gauges; called before each scrape.
    public func instances(live: Int, pooled: Int) {
        liveInstances.set(Int64(live))
        pooledInstances.set(Int64(pooled))
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

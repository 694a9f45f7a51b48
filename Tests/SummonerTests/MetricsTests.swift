import GuestStack
import Logging
import SummonerTestSupport
import Testing

@testable import Summoner

@Suite("Prometheus metrics")
struct MetricsTests {
    func text(_ metrics: SummonerMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func summonsLatencyAndGaugesAreExposed() async throws {
        let metrics = SummonerMetrics()
        let harness = try ManagerHarness(metrics: metrics)
        let manager = harness.manager
        harness.readiness.markReady("hello-1")
        #expect(await manager.resolve(service: "hello") == .address(IPv4Address(10, 77, 0, 10), ttl: 5))
        await manager.updateGauges()
        metrics.dnsResponse(rcode: "NXDOMAIN")
        metrics.dnsResponse(rcode: "RCODE23")
        let exposition = text(metrics)
        for line in [
            #"summoner_summons_total{mode="cold"} 1"#,
            #"summoner_summons_total{mode="pool"} 0"#,
            #"summoner_lookup_to_ready_seconds_count{mode="cold"} 1"#,
            #"summoner_instances{state="live"} 1"#,
            #"summoner_instances{state="pooled"} 0"#,
            #"summoner_dns_responses_total{rcode="NXDOMAIN"} 1"#,
            #"summoner_dns_responses_total{rcode="other"} 1"#,
            "summoner_boot_failures_total 0",
        ] {
            #expect(exposition.contains(line), "missing \(line) in:\n\(exposition)")
        }
    }
}

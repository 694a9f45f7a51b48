import Testing

@testable import Summoner

@Suite("summonerctl list table")
struct InstanceTableFormatterTests {
    @Test func aligedColumnsWithHumanDurations() {
        let instances = [
            InstanceSnapshot(
                service: "hello", id: "hello-1", state: .ready, address: "10.77.0.10", domain: "summoner-hello-1",
                mode: "pool", uptimeSeconds: 75.2, idleSeconds: 0.25, lookups: 12),
            InstanceSnapshot(
                service: "web", id: "web-12", state: .pooled, address: "10.77.0.11", domain: "summoner-web-12",
                mode: nil, uptimeSeconds: 7300, idleSeconds: 7300, lookups: 0),
        ]
        #expect(
            InstanceTableFormatter.render(instances) == """
                SERVICE  INSTANCE  STATE   MODE  ADDRESS     UPTIME  IDLE   LOOKUPS
                hello    hello-1   ready   pool  10.77.0.10  1m15s   250ms  12
                web      web-12    pooled  -     10.77.0.11  2h01m   2h01m  0

                """)
    }

    @Test func anIPv6AddressFollowsTheIPv4One() {
        let instance = InstanceSnapshot(
            service: "hello", id: "hello-1", state: .ready, address: "10.77.0.10", address6: "fd77::a",
            domain: "summoner-hello-1", mode: "cold", uptimeSeconds: 2, idleSeconds: 1, lookups: 1)
        #expect(
            InstanceTableFormatter.render([instance]) == """
                SERVICE  INSTANCE  STATE  MODE  ADDRESS             UPTIME  IDLE  LOOKUPS
                hello    hello-1   ready  cold  10.77.0.10 fd77::a  2.0s    1.0s  1

                """)
    }

    @Test func anEmptyListSaysSo() {
        #expect(InstanceTableFormatter.render([]) == "no live instances\n")
    }

    @Test(arguments: [(0.0, "0ms"), (0.999, "999ms"), (1, "1.0s"), (59.96, "59.9s"), (60, "1m00s"), (3599, "59m59s"), (3600, "1h00m")])
    func durations(seconds: Double, text: String) {
        #expect(InstanceTableFormatter.duration(seconds) == text)
    }
}

import Logging
import SummonerTestSupport

@testable import Summoner

/// An `InstanceManager` over the fakes: a hypervisor, readiness on demand and a manual clock,
/// with the test fixture's configuration (services `hello` and `web`).
struct ManagerHarness {
    let hypervisor = FakeHypervisor()
    let readiness = ManualReadiness()
    let clock = ManualClock()
    let messenger = RecordingMessenger()
    let config: SummonerConfig
    let manager: InstanceManager<ManualClock>

    init(pool: Int = 0, metrics: SummonerMetrics? = nil, edit: (inout SummonerConfig) -> Void = { _ in }) throws {
        var config = try ImageFixture.config(pool: pool)
        edit(&config)
        self.config = config
        manager = InstanceManager(
            config: config, hypervisor: hypervisor, readiness: readiness, clock: clock, accelerator: .tcg,
            logger: Logger(label: "test"), metrics: metrics, messenger: messenger)
    }
}

/// A test suite built on a `ManagerHarness`, with its parts at hand by name.
protocol ManagerHarnessSuite {
    var harness: ManagerHarness { get }
}

extension ManagerHarnessSuite {
    var hypervisor: FakeHypervisor { harness.hypervisor }
    var readiness: ManualReadiness { harness.readiness }
    var clock: ManualClock { harness.clock }
    var messenger: RecordingMessenger { harness.messenger }
    var config: SummonerConfig { harness.config }
    var manager: InstanceManager<ManualClock> { harness.manager }
}

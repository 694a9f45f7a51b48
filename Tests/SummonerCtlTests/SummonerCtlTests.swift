import ArgumentParser
import GuestStack
import Summoner
import Testing

@testable import summonerctl

/// Each subcommand's arguments as a typed request, and its output for a response, compared whole.
@Suite("summonerctl")
struct SummonerCtlTests {
    func parse<C: ControlCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
        try #require(try SummonerCtl.parseAsRoot(arguments) as? C)
    }

    @Test func argumentsBecomeRequests() throws {
        #expect(try parse(List.self, ["list"]).request == ControlRequest(command: .list, all: false))
        #expect(try parse(List.self, ["list", "--all", "--json"]).request == ControlRequest(command: .list, all: true))
        #expect(try parse(Stop.self, ["stop", "hello-3"]).request == ControlRequest(command: .stop, target: "hello-3"))
        #expect(try parse(Summon.self, ["summon", "hello"]).request == ControlRequest(command: .summon, target: "hello"))
        #expect(try parse(Status.self, ["status"]).request == ControlRequest(command: .status))
        #expect(try parse(Services.self, ["services"]).request == ControlRequest(command: .services))
        #expect(try parse(Reload.self, ["reload"]).request == ControlRequest(command: .reload))
        #expect(try parse(Pause.self, ["pause", "hello"]).request == ControlRequest(command: .pause, target: "hello"))
        #expect(try parse(Resume.self, ["resume", "hello-1"]).request == ControlRequest(command: .resume, target: "hello-1"))
        #expect(try parse(List.self, ["list", "--socket", "/run/x.sock"]).options.socket == "/run/x.sock")
    }

    @Test func badArgumentsAreRefused() {
        #expect(throws: (any Error).self) { try SummonerCtl.parseAsRoot(["list", "--watch", "--json"]) }
        #expect(throws: (any Error).self) { try SummonerCtl.parseAsRoot(["stop"]) }
        #expect(throws: (any Error).self) { try SummonerCtl.parseAsRoot(["frobnicate"]) }
    }

    @Test func statusOutput() throws {
        let status = DaemonStatus(
            zone: "summon.test.", accelerator: "tcg", libvirtURI: "qemu:///system", libvirtConnected: false,
            services: ["hello", "web"], liveInstances: 1, pooledInstances: 2, coldBoots: 3, poolResumes: 4, poolCreates: 6,
            unpauses: 2, suspends: 5, saves: 3, restores: 1, bootFailures: 1, reaped: 2, adopted: 0)
        let text = try parse(Status.self, ["status"]).render(ControlResponse(ok: true, status: status))
        #expect(
            text == """
                zone            summon.test.
                accelerator     tcg
                libvirt         qemu:///system (disconnected, reconnecting)
                services        hello, web
                live instances  1
                pooled          2
                summons         10 (4 from the pool, 3 cold, 2 unpaused, 1 restored)
                suspends        5
                saves           3
                pool creates    6
                boot failures   1
                reaped          2
                adopted         0

                """)
    }

    @Test func servicesOutput() throws {
        var booted = ServiceConfig(
            name: "api", image: "hello", address: IPv4Address(10, 77, 0, 20), ttl: 5, idleTimeout: .seconds(10),
            bootTimeout: .seconds(2), memoryMiB: 32, vcpus: 1, poolSize: 1)
        booted.addresses = [IPv4Address(10, 77, 0, 20), IPv4Address(10, 77, 0, 21)]
        booted.poolState = .booted
        var saved = ServiceConfig(
            name: "web", image: "hello", address: IPv4Address(10, 77, 0, 11), ttl: 30, idleTimeout: .seconds(60),
            bootTimeout: .seconds(2), memoryMiB: 16, vcpus: 1, poolSize: 0)
        saved.stopMode = .save
        let response = ControlResponse(ok: true, services: [ServiceSummary(booted), ServiceSummary(saved)])
        #expect(
            try parse(Services.self, ["services"]).render(response) == """
                SERVICE  IMAGE  ADDRESS        TTL  IDLE   BOOT  POOL      MEMORY  IDLE STOP
                api      hello  10.77.0.20 +1  5s   10.0s  2.0s  1 booted  32 MiB  destroy
                web      hello  10.77.0.11     30s  1m00s  2.0s  0         16 MiB  save

                """)
    }

    @Test func reloadAndSummonOutput() throws {
        var report = ReloadReport()
        report.added = ["api"]
        report.needsRestart = ["dns.listen"]
        #expect(try parse(Reload.self, ["reload"]).render(ControlResponse(ok: true, reload: report)) == "added: api\nneeds a restart: dns.listen")
        #expect(try parse(Reload.self, ["reload"]).render(ControlResponse(ok: true, reload: ReloadReport())) == "reloaded: nothing changed")
        #expect(try parse(Summon.self, ["summon", "hello"]).render(ControlResponse(ok: true, address: "10.77.0.10")) == "hello is ready at 10.77.0.10")
        #expect(
            try parse(Summon.self, ["summon", "hello", "--json"]).render(ControlResponse(ok: true, address: "10.77.0.10"))
                == "{\n  \"address\" : \"10.77.0.10\",\n  \"service\" : \"hello\"\n}")
    }

    @Test func rootHelp() {
        #expect(
            SummonerCtl.helpMessage(columns: 100) == """
                OVERVIEW: Look after a running summonerd.

                USAGE: summonerctl <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  list                    List live instances.
                  status                  Show the daemon's state and counters.
                  services                List the configured services.
                  summon                  Summon a service as a DNS lookup would, and wait until it is ready.
                  stop                    Stop a live instance now.
                  pause                   Suspend a ready instance in memory; a lookup or resume wakes it.
                  resume                  Resume a suspended instance now.
                  reload                  Make summonerd re-read its configuration file (as SIGHUP does) and show
                                          what changed.

                  See 'summonerctl help <subcommand>' for detailed help.
                """)
    }

    @Test func listHelp() {
        #expect(
            SummonerCtl.helpMessage(for: List.self, columns: 100) == """
                OVERVIEW: List live instances.

                USAGE: summonerctl list [--all] [--watch] [--socket <socket>] [--config <config>] [--json]

                OPTIONS:
                  --all                   Include warm-pool domains (created paused, waiting for a lookup).
                  --watch                 Redraw the table every second until interrupted.
                  --socket <socket>       Control socket path (default: the one named in --config).
                  --config <config>       summonerd's configuration file, read for the socket path. (default:
                                          /etc/summoner/summoner.toml)
                  --json                  Print JSON for machines instead of a table.
                  -h, --help              Show help information.

                """)
    }
}

extension SummonerCtlTests {
    @Test func instanceCommandsReportWhatTheyDo() throws {
        #expect(try parse(Stop.self, ["stop", "hello"]).render(ControlResponse(ok: true)) == "stopping hello")
        #expect(try parse(Pause.self, ["pause", "hello"]).render(ControlResponse(ok: true)) == "pausing hello")
        #expect(try parse(Resume.self, ["resume", "hello-2", "--json"]).render(ControlResponse(ok: true)) == "{\n  \"resuming\" : \"hello-2\"\n}")
    }
}

import ArgumentParser
import DNSFrontend
import Foundation
import KernelImage
import Logging
import NIOPosix
import ServiceLifecycle
import Summoner
import VMLauncher

/// `summonerd`: the DNS server that summons unikernels.
@main
struct SummonerDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summonerd",
        abstract: "Authoritative DNS server that boots a unikernel when its name is looked up.")

    @Option(name: .shortAndLong, help: "Configuration file.")
    var config: String = "/etc/summoner/summoner.toml"

    @Flag(help: "Validate the configuration and images, print a summary and exit.")
    var check = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "summonerd")
        let settings = try fail { () throws(ConfigError) in try ConfigLoader.load(path: config) }
        let images = ImageStore(directory: settings.imagesDirectory)
        for service in settings.services.values.sorted(by: { $0.name < $1.name }) {
            _ = try fail { () throws(ImageStore.ImageError) in try images.verify(name: service.image) }
        }
        if check {
            print("\(config): OK, zone \(settings.zone), \(settings.services.count) service(s): \(settings.services.keys.sorted().joined(separator: ", "))")
            return
        }

        let accelerator = AcceleratorDetector.detect(choice: settings.accelerator)
        let hypervisor = try fail { () throws(HypervisorError) in
            try LibvirtHypervisor(uri: settings.libvirtURI, logger: logger)
        }
        logger.info("connected to libvirt", metadata: ["uri": "\(settings.libvirtURI)", "accelerator": "\(accelerator.rawValue)"])

        let manager = InstanceManager(
            config: settings, hypervisor: hypervisor, readiness: SerialLogReadiness(), clock: ContinuousClock(),
            accelerator: accelerator, logger: logger)
        await manager.destroyOrphans()

        guard let zone = ZoneAuthority(apex: settings.zone) else {
            throw ValidationError("zone \(settings.zone) is not a valid DNS name")
        }
        let provider = SummonerZoneProvider(manager: manager, services: Set(settings.services.keys))
        let group = MultiThreadedEventLoopGroup.singleton
        // A lookup never outlives the longest boot timeout by more than a second: SERVFAIL, not silence.
        let longestBoot = settings.services.values.map(\.bootTimeout).max() ?? .seconds(2)
        var forwarder: DNSForwarder?
        if let forwarding = settings.dnsForwarding {
            forwarder = try await DNSForwarder.start(forwarding, group: group)
            logger.info(
                "forwarding out-of-zone queries",
                metadata: ["upstream": "\(forwarding.upstream)", "allow": "\(forwarding.allowed)"])
        }
        let dns = DNSServer(
            addresses: settings.dnsListen.map { DNSListenAddress(host: $0.host, port: $0.port) },
            responder: AuthoritativeResponder(zone: zone, provider: provider, deadline: longestBoot + .seconds(1)),
            group: group, forwarder: forwarder, logger: logger)
        let control = ControlServer(
            socketPath: settings.controlSocket,
            handler: SummonerControlHandler(manager: manager, config: settings, accelerator: accelerator),
            group: group, logger: logger)
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: dns), .init(service: control), .init(service: ReaperService(manager: manager)),
                    .init(service: LifecycleEventService(manager: manager)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await serviceGroup.run()
        } catch {
            logger.error("summonerd stopped on an error: \(error)")
            await forwarder?.close()
            await manager.shutdown()
            throw ExitCode(1)
        }
        // Live instances are destroyed on shutdown: nothing adopts them yet (see README).
        await forwarder?.close()
        await manager.shutdown()
        logger.info("summonerd stopped")
    }

    /// Runs `body`; on error prints its one-sentence description and exits with status 1.
    func fail<T, E: Error>(_ body: () throws(E) -> T) throws -> T {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("summonerd: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

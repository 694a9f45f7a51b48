import ArgumentParser
import DNSFrontend
import Foundation
import KernelImage
import Logging
import NIOCore
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
            _ = try fail { () throws(ImageStore.ImageError) in try images.verify(name: service.image, memoryMiB: service.memoryMiB) }
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

        // Readiness: the guest's ready datagram when a listen address is configured, raced with
        // the serial log (kept for guests without a network stack, and for debugging).
        let announcements = AnnouncementReadiness(onAnnouncement: { announcement, source in
            logger.debug(
                "ready datagram", metadata: ["instance": "\(announcement.instanceID)", "boot_us": "\(announcement.bootMicroseconds)", "from": "\(source.text)"])
        })
        let readiness = ModeReadiness(
            announce: settings.readyEndpoint == nil
                ? SerialLogReadiness() : FirstReadiness([announcements, SerialLogReadiness()]))
        let metrics = SummonerMetrics()
        // Stop requests (stop mode `shutdown`) leave from the readiness socket.
        let messenger = settings.readyEndpoint == nil ? nil : DatagramGuestMessenger()
        let manager = InstanceManager(
            config: settings, hypervisor: hypervisor, readiness: readiness, clock: ContinuousClock(),
            accelerator: accelerator, logger: logger, metrics: metrics, messenger: messenger)
        await manager.holdLookupsUntilAdopted()

        guard let zone = ZoneAuthority(apex: settings.zone) else {
            throw ValidationError("zone \(settings.zone) is not a valid DNS name")
        }
        let provider = SummonerZoneProvider(manager: manager)
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
            responder: AuthoritativeResponder(
                zone: zone, provider: provider, deadline: longestBoot + .seconds(1),
                onResponse: { metrics.dnsResponse(rcode: $0.description) }),
            group: group, forwarder: forwarder, logger: logger)
        // Bind before anything serves: a port in use is one sentence and exit status 1.
        let boundDNS: DNSBoundServer
        do {
            boundDNS = try await dns.bind()
        } catch {
            let addresses = settings.dnsListen.map { "\($0.host):\($0.port)" }.joined(separator: ", ")
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            FileHandle.standardError.write(Data("summonerd: cannot listen for DNS on \(addresses): \(reason)\n".utf8))
            throw ExitCode(1)
        }
        // Only a daemon that owns its DNS addresses takes over domains: a second summonerd
        // started by mistake must not touch the first one's instances.
        await manager.adoptExisting()
        for (transport, address) in boundDNS.listening {
            logger.info("DNS listening", metadata: ["address": "\(address.map { "\($0)" } ?? "?")", "transport": "\(transport)"])
        }
        let reloader = ReloadService(manager: manager, configPath: config, logger: logger)
        let control = ControlServer(
            socketPath: settings.controlSocket, socketGroup: settings.controlSocketGroup,
            handler: SummonerControlHandler(manager: manager, accelerator: accelerator, reload: { await reloader.reload() }),
            group: group, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: boundDNS), .init(service: control), .init(service: ReaperService(manager: manager)),
            .init(service: LifecycleEventService(manager: manager)),
            .init(service: reloader),
        ]
        if let listen = settings.metricsListen {
            services.append(
                .init(
                    service: MetricsServer(host: listen.host, port: listen.port, group: group, logger: logger) {
                        await manager.updateGauges()
                        return metrics.exposition()
                    }))
        }
        if let endpoint = settings.readyEndpoint {
            services.append(
                .init(
                    service: ReadyDatagramListener(
                        endpoint: endpoint, readiness: announcements, group: group, logger: logger, messenger: messenger)))
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        // systemd (Type=notify): ready once libvirt is connected and DNS is bound; the other
        // listeners bind as the group starts, and a failure there ends the daemon with an error.
        let notifier = SystemdNotifier()
        notifier.notify("READY=1\nSTATUS=answering for \(settings.zone)")
        defer { notifier.notify("STOPPING=1") }
        do {
            try await serviceGroup.run()
        } catch {
            logger.error("summonerd stopped on an error: \(error)")
            await forwarder?.close()
            await manager.shutdown()
            throw ExitCode(1)
        }
        await forwarder?.close()
        switch settings.onShutdown {
        case .stop:
            await manager.shutdown()
        case .leave:
            // The next summonerd adopts them (see README), so an upgrade keeps guests serving.
            logger.notice("leaving instances running for the next summonerd to adopt")
        }
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

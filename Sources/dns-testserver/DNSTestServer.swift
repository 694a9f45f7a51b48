import ArgumentParser
import DNSFrontend
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// `dns-testserver`: the real DNSFrontend servers (UDP and TCP, every listen address) in front
/// of a fixed table of names, with no VMs and no libvirt. The end-to-end DNS test and the
/// benchmark against NSD run it, because summonerd itself needs libvirt and verified images
/// before it answers anything.
@main
struct DNSTestServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns-testserver",
        abstract: "Serve a static zone through Summoner's DNS frontend, for tests and benchmarks.")

    @Option(name: .long, help: "IPV4:PORT or [IPV6]:PORT to serve UDP and TCP on; repeatable.")
    var listen: [String] = ["127.0.0.1:5380"]

    @Option(help: "The zone's apex.")
    var zone = "summon.test."

    @Option(name: .customLong("name"), help: "LABELS=IPV4 below the apex, such as hello=10.77.0.10; repeatable. Replaces the default table.")
    var names: [String] = []

    @Option(help: "UDP sockets per address (SO_REUSEPORT), each served by a thread of its own; also the event loops for TCP.")
    var threads = 1

    @Option(help: "Forward out-of-zone queries to this IPV4:PORT or [IPV6]:PORT (for the clients of --forward-allow).")
    var forwardUpstream: String?

    @Option(help: "A client network (ADDRESS[/LENGTH]) allowed to use forwarding; repeatable.")
    var forwardAllow: [String] = []

    @Flag(help: "Echo each UDP datagram with QR set instead of answering it: the transport's cost alone, for the benchmark.")
    var nioFloor = false

    @Option(help: "Log level.")
    var logLevel = "warning"

    /// hello and web answer at once; many has 40 addresses (too big for 512-byte UDP); slow is
    /// answered after 300 ms through the async path.
    static let defaultTable: [String: [DNSIPv4Address]] = [
        "hello": [DNSIPv4Address(10, 77, 0, 10)],
        "web": [DNSIPv4Address(10, 77, 0, 11)],
        "slow": [DNSIPv4Address(10, 77, 0, 12)],
        "many": (1...40).map { DNSIPv4Address(10, 77, 1, UInt8($0)) },
    ]

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
            return handler
        }
        let logger = Logger(label: "dns-testserver")
        guard let authority = ZoneAuthority(apex: zone, ttl: 60) else { throw ValidationError("bad zone \(zone)") }
        let addresses = try listen.map(Self.parseListen)
        let provider = StaticZoneProvider(
            addresses: names.isEmpty ? Self.defaultTable : try Self.parseNames(names), ttl: 30,
            delayed: names.isEmpty ? ["slow": .milliseconds(300)] : [:])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var forwarder: DNSForwarder?
        if let forwardUpstream {
            let allowed = try forwardAllow.map { text in
                guard let network = DNSClientNetwork(text) else { throw ValidationError("--forward-allow \(text): not ADDRESS[/LENGTH]") }
                return network
            }
            let settings = DNSForwarding(upstream: try Self.parseListen(forwardUpstream), allowed: allowed, timeout: .seconds(1))
            forwarder = try await DNSForwarder.start(settings, group: group)
        }
        let server = DNSServer(
            addresses: addresses, responder: AuthoritativeResponder(zone: authority, provider: provider),
            group: group, udpSocketsPerAddress: threads, forwarder: forwarder, logger: logger)
        if nioFloor {
            let channels = try await addresses.asyncMap { try await NIOFloorHandler.bind(host: $0.host, port: $0.port, group: group) }
            FileHandle.standardOutput.write(Data("dns-testserver: nio-floor echo ready\n".utf8))
            let services = ServiceGroup(
                configuration: .init(services: [.init(service: ShutdownWaiter())], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await services.run()
            for channel in channels { try? await channel.close() }
            try await group.shutdownGracefully()
            return
        }
        let bound = try await server.bind()
        var lines = bound.listening.map { transport, address in
            "dns-testserver: \(transport) on \(address.map { "\($0)" } ?? "?")\n"
        }
        lines.append("dns-testserver: ready\n")
        FileHandle.standardOutput.write(Data(lines.joined().utf8))
        let waiter = ShutdownWaiter()
        let services = ServiceGroup(
            configuration: .init(services: [.init(service: waiter)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
        await bound.close()
        await forwarder?.close()
        try await group.shutdownGracefully()
    }

    static func parseListen(_ text: String) throws -> DNSListenAddress {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            throw ValidationError("--listen \(text): expected IPV4:PORT or [IPV6]:PORT")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return DNSListenAddress(host: host, port: port)
    }

    static func parseNames(_ entries: [String]) throws -> [String: [DNSIPv4Address]] {
        var table: [String: [DNSIPv4Address]] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=")
            let octets = parts.count == 2 ? parts[1].split(separator: ".").compactMap { UInt8($0) } : []
            guard octets.count == 4 else { throw ValidationError("--name \(entry): expected LABELS=IPV4") }
            table[String(parts[0]).lowercased(), default: []].append(DNSIPv4Address(octets[0], octets[1], octets[2], octets[3]))
        }
        return table
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// Does nothing until graceful shutdown; keeps the service group, and so the server, running.
struct ShutdownWaiter: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}


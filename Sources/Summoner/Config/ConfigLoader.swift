import Foundation
import GuestStack
import NIOCore
import TOMLKit
import VMLauncher

/// Loads and validates `summoner.toml`. Relative paths in the file are resolved against the
/// file's own directory, so a config works from wherever the daemon is started.
public enum ConfigLoader {
    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigError) -> SummonerConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, message: "the file is not UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text: text, file: path, baseDirectory: directory)
    }

    /// Parses TOML text; `file` is only used in messages.
    public static func parse(text: String, file: String, baseDirectory: String) throws(ConfigError) -> SummonerConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, message: "TOML syntax error: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, message: "TOML syntax error: \(error)")
        }
        var root = TOMLTableReader(table: table, path: "", file: file, keyLines: TOMLKeyLines(text: text))

        let zone = try parseZone(&root)
        var dns = try root.table("dns")
        let listenTexts = try dns?.strings("listen") ?? ["127.0.0.1:53"]
        var listen: [ListenAddress] = []
        for text in listenTexts {
            let address = try parseListen(text, reader: dns ?? root, key: "listen")
            guard !listen.contains(address) else { throw (dns ?? root).error("listen", "\"\(text)\" is listed twice") }
            listen.append(address)
        }
        let forwarding = try parseForwarding(&dns)
        try dns?.rejectUnknownKeys()

        var control = try root.table("control")
        let socket = absolute(try control?.string("socket") ?? "/run/summoner/control.sock", base: baseDirectory)
        let socketGroup = try control?.string("group")
        if let socketGroup, getgrnam(socketGroup) == nil {
            throw (control ?? root).error("group", "there is no group \"\(socketGroup)\" on this host")
        }
        try control?.rejectUnknownKeys()

        var libvirt = try root.table("libvirt")
        let uri = try libvirt?.string("uri") ?? "qemu:///system"
        let acceleratorText = try libvirt?.string("accelerator") ?? "auto"
        guard let accelerator = AcceleratorChoice(rawValue: acceleratorText) else {
            throw (libvirt ?? root).error("accelerator", "\"\(acceleratorText)\" is not one of auto, kvm, tcg")
        }
        try libvirt?.rejectUnknownKeys()

        guard var networkTable = try root.table("network") else {
            throw root.error(nil, "missing [network] table (bridge, prefix_length, gateway)")
        }
        let bridge = try networkTable.requiredString("bridge")
        let prefix = try networkTable.int("prefix_length", default: 24, range: 8...30)
        let gatewayText = try networkTable.requiredString("gateway")
        guard let gateway = IPv4Address(gatewayText) else {
            throw networkTable.error("gateway", "\"\(gatewayText)\" is not an IPv4 address")
        }
        let ipv6Prefix = try parseIPv6Prefix(&networkTable, ipv4PrefixLength: prefix)
        try networkTable.rejectUnknownKeys()
        let network = GuestNetwork(prefixLength: UInt8(prefix), gateway: gateway, ipv6Prefix: ipv6Prefix)

        var paths = try root.table("paths")
        let images = absolute(try paths?.string("images") ?? "/usr/lib/summoner/images", base: baseDirectory)
        let state = absolute(try paths?.string("state") ?? "/var/lib/summoner", base: baseDirectory)
        try paths?.rejectUnknownKeys()

        var readiness = try root.table("readiness")
        var readyEndpoint: IPv4Endpoint?
        if let text = try readiness?.string("listen") {
            guard let endpoint = IPv4Endpoint(parsing: Array(text.utf8)) else {
                throw (readiness ?? root).error("listen", "\"\(text)\" is not IPV4:PORT")
            }
            readyEndpoint = endpoint
        }
        try readiness?.rejectUnknownKeys()

        var metrics = try root.table("metrics")
        let metricsListen = try metrics?.string("listen").map { text throws(ConfigError) in
            try parseListen(text, reader: metrics!, key: "listen")
        }
        try metrics?.rejectUnknownKeys()

        var daemon = try root.table("daemon")
        let onShutdownText = try daemon?.string("on_shutdown") ?? "stop"
        guard let onShutdown = ShutdownPolicy(rawValue: onShutdownText) else {
            throw (daemon ?? root).error("on_shutdown", "\"\(onShutdownText)\" is not one of stop, leave")
        }
        try daemon?.rejectUnknownKeys()

        var limits = try root.table("limits")
        let maxLive = try limits?.int("max_instances", default: 256, range: 1...100_000) ?? 256
        let maxCreates = try limits?.int("max_concurrent_creates", default: 4, range: 1...256) ?? 4
        try limits?.rejectUnknownKeys()

        let services = try parseServices(&root, network: network, hasReadyEndpoint: readyEndpoint != nil)
        try root.rejectUnknownKeys()

        var config = SummonerConfig(
            zone: zone, dnsListen: listen, dnsForwarding: forwarding, controlSocket: socket,
            controlSocketGroup: socketGroup, libvirtURI: uri, accelerator: accelerator, bridge: bridge, network: network,
            imagesDirectory: images, stateDirectory: state, readyEndpoint: readyEndpoint, metricsListen: metricsListen,
            services: services)
        config.onShutdown = onShutdown
        config.maxLiveInstances = maxLive
        config.maxConcurrentCreates = maxCreates
        return config
    }

    static func parseZone(_ root: inout TOMLTableReader) throws(ConfigError) -> String {
        var zone = try root.requiredString("zone").lowercased()
        if !zone.hasSuffix(".") { zone += "." }
        let labels = zone.dropLast().split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty, labels.allSatisfy({ isValidLabel(String($0)) }) else {
            throw root.error("zone", "\"\(zone)\" is not a valid DNS zone name")
        }
        return zone
    }

    /// `ADDRESS:PORT` with an IPv4 address, or `[ADDRESS]:PORT` with an IPv6 one.
    static func parseListen(_ text: String, reader: TOMLTableReader, key: String) throws(ConfigError) -> ListenAddress {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw reader.error(key, "\"\(text)\" is not HOST:PORT") }
        var host = String(text[..<colon])
        let bracketed = host.hasPrefix("[") && host.hasSuffix("]")
        if bracketed { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw reader.error(key, "\"\(text)\" has no host") }
        guard (try? SocketAddress(ipAddress: host, port: port)) != nil, host.contains(":") == bracketed else {
            throw reader.error(key, "\"\(text)\" is not IPV4:PORT or [IPV6]:PORT")
        }
        return ListenAddress(host: host, port: port)
    }

    /// `[network] ipv6_prefix`: an IPv6 prefix with room after it for the host part of an IPv4
    /// guest address, and no bits set past its length (`fd77::/64`).
    static func parseIPv6Prefix(_ table: inout TOMLTableReader, ipv4PrefixLength: Int) throws(ConfigError) -> IPv6Interface? {
        guard let text = try table.string("ipv6_prefix") else { return nil }
        guard let prefix = IPv6Interface(parsing: Array(text.utf8)) else {
            throw table.error("ipv6_prefix", "\"\(text)\" is not an IPv6 prefix such as \"fd77::/64\"")
        }
        let hostBits = 32 - ipv4PrefixLength
        guard Int(prefix.prefixLength) <= 128 - hostBits else {
            throw table.error(
                "ipv6_prefix",
                "/\(prefix.prefixLength) leaves no room for the \(hostBits)-bit host part of a guest's IPv4 address; use /\(128 - hostBits) or shorter"
            )
        }
        guard prefix.address.masked(to: prefix.prefixLength) == prefix.address else {
            throw table.error(
                "ipv6_prefix", "\"\(text)\" has bits set past /\(prefix.prefixLength); guests' host parts go there")
        }
        return prefix
    }

    static func parseServices(_ root: inout TOMLTableReader, network: GuestNetwork, hasReadyEndpoint: Bool) throws(ConfigError)
        -> [String: ServiceConfig]
    {
        guard var servicesTable = try root.table("services") else { return [:] }
        var services: [String: ServiceConfig] = [:]
        var owners: [IPv4Address: String] = [:]
        for name in servicesTable.table.keys.sorted() {
            guard var reader = try servicesTable.table(name) else { continue }
            guard isValidLabel(name), name == name.lowercased() else {
                throw reader.error(String?.none, "service name \"\(name)\" must be one lowercase DNS label (a-z, 0-9, -)")
            }
            let image = try reader.requiredString("image")
            let addresses = try parseAddresses(&reader)
            let mask: UInt32 = network.prefixLength == 0 ? 0 : ~UInt32(0) << (32 - UInt32(network.prefixLength))
            for (key, address) in addresses {
                guard address.value & mask == network.gateway.value & mask, address != network.gateway else {
                    throw reader.error(key, "\(address.text) is not a guest address in the gateway's /\(network.prefixLength) network")
                }
                if let other = owners[address] {
                    if other == name { throw reader.error(key, "\(address.text) is listed twice") }
                    throw reader.error(key, "\(address.text) is already the address of service \"\(other)\"")
                }
                owners[address] = name
            }
            let ttl = try reader.int("ttl", default: 30, range: 0...86400)
            let idle = try reader.seconds("idle_timeout", default: Duration.seconds(2 * max(ttl, 1)), minimum: Duration.milliseconds(100))
            let boot = try reader.seconds("boot_timeout", default: Duration.seconds(2), minimum: Duration.milliseconds(10))
            let memory = try reader.int("memory_mib", default: 32, range: 8...65536)
            let vcpus = try reader.int("vcpus", default: 1, range: 1...64)
            let pool = try reader.int("pool", default: 1, range: 0...64)
            let poolStateText = try reader.string("pool_state", default: PoolState.created.rawValue)
            guard let poolState = PoolState(rawValue: poolStateText) else {
                throw reader.error("pool_state", "\"\(poolStateText)\" is not one of \(PoolState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if poolState == .booted && addresses.count < pool + 1 {
                // A booted pool member keeps its address while parked: each needs its own.
                throw reader.error(
                    "pool_state", "\"booted\" needs one address per pool member plus one (\(pool + 1)), and addresses has \(addresses.count)")
            }
            let stopModeText = try reader.string("stop_mode", default: "destroy")
            guard let stopMode = StopMode(rawValue: stopModeText) else {
                throw reader.error("stop_mode", "\"\(stopModeText)\" is not one of \(StopMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if stopMode == .shutdown && !hasReadyEndpoint {
                // The stop request goes out from the readiness endpoint, and only a guest told
                // that endpoint on its command line listens for it.
                throw reader.error("stop_mode", "\"shutdown\" needs [readiness] listen: the stop request is sent from there")
            }
            let shutdownTimeout = try reader.seconds("shutdown_timeout", default: Duration.seconds(2), minimum: Duration.milliseconds(10))
            let readinessText = try reader.string("readiness", default: "announce")
            guard let readiness = ReadinessMode(readinessText) else {
                throw reader.error("readiness", "\"\(readinessText)\" is not announce, tcp:PORT or none")
            }
            try reader.rejectUnknownKeys()
            var service = ServiceConfig(
                name: name, image: image, address: addresses[0].address, ttl: UInt32(ttl), idleTimeout: idle, bootTimeout: boot,
                memoryMiB: memory, vcpus: vcpus, poolSize: pool)
            service.stopMode = stopMode
            service.addresses = addresses.map(\.address)
            service.poolState = poolState
            service.shutdownTimeout = shutdownTimeout
            service.readiness = readiness
            services[name] = service
        }
        return services
    }

    /// A service's `address = "A"` or `addresses = ["A", "B-C", ...]` (ranges inclusive, in one
    /// /24 at most), exactly one of the two; each address with the key it came from.
    static func parseAddresses(_ reader: inout TOMLTableReader) throws(ConfigError) -> [(key: String, address: IPv4Address)] {
        let single = try reader.string("address")
        let many = try reader.strings("addresses")
        switch (single, many) {
        case (nil, nil):
            throw reader.error(String?.none, "missing required key \"address\" (or \"addresses\")")
        case (.some, .some):
            throw reader.error("addresses", "give address or addresses, not both")
        case (let text?, nil):
            guard let address = IPv4Address(text) else { throw reader.error("address", "\"\(text)\" is not an IPv4 address") }
            return [("address", address)]
        case (nil, let texts?):
            var result: [(key: String, address: IPv4Address)] = []
            for text in texts {
                let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { IPv4Address(String($0)) }
                guard ends.count <= 2, let first = ends.first ?? nil, let last = ends.last ?? nil, first.value <= last.value,
                    last.value - first.value < 256
                else { throw reader.error("addresses", "\"\(text)\" is not an IPv4 address or a range A-B of at most 256") }
                for value in first.value...last.value { result.append(("addresses", IPv4Address(value))) }
            }
            return result
        }
    }

    static func isValidLabel(_ label: String) -> Bool {
        guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
        return label.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" }
    }

    static func absolute(_ path: String, base: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
    }
}

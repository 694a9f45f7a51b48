import DNSFrontend
import GuestStack
import Testing

@testable import Summoner

@Suite("Config loading")
struct ConfigLoaderTests {
    static let valid = """
        zone = "Summon.Test"

        [dns]
        listen = "127.0.0.1:5353"

        [control]
        socket = "run/control.sock"

        [libvirt]
        accelerator = "tcg"

        [network]
        bridge = "sumbr0"
        gateway = "10.77.0.1"

        [paths]
        images = "../images"

        [services.hello]
        image = "hello"
        address = "10.77.0.10"
        ttl = 5
        idle_timeout = 0.5

        [services.web]
        image = "hello"
        address = "10.77.0.11"
        """

    func parse(_ text: String) throws(ConfigError) -> SummonerConfig {
        try ConfigLoader.parse(text: text, file: "test.toml", baseDirectory: "/etc/summoner")
    }

    @Test func readsAValidFileWithDefaults() throws {
        let config = try parse(Self.valid)
        #expect(config.zone == "summon.test.")
        #expect(config.dnsListen == [ListenAddress(host: "127.0.0.1", port: 5353)])
        #expect(config.controlSocket == "/etc/summoner/run/control.sock")
        #expect(config.imagesDirectory == "/etc/images")
        #expect(config.stateDirectory == "/var/lib/summoner")
        #expect(config.accelerator == .tcg)
        #expect(config.libvirtURI == "qemu:///system")
        #expect(config.network.prefixLength == 24)
        let hello = try #require(config.services["hello"])
        #expect(hello.ttl == 5)
        #expect(hello.idleTimeout == .milliseconds(500))
        #expect(hello.bootTimeout == .seconds(2))
        #expect(hello.memoryMiB == 32)
        let web = try #require(config.services["web"])
        #expect(web.ttl == 30)
        #expect(web.idleTimeout == .seconds(60), "idle defaults to twice the TTL, as Jitsu did")
    }

    /// Each broken file must be refused with the line of the offending key.
    @Test(arguments: [
        ("address = \"10.77.0.10\"", "address = \"10.77.0\"", 21, "services.hello.address: \"10.77.0\" is not an IPv4 address"),
        ("address = \"10.77.0.11\"", "address = \"10.77.0.10\"", 27, "services.web.address: 10.77.0.10 is already the address of service \"hello\""),
        ("address = \"10.77.0.11\"", "address = \"10.78.0.11\"", 27, "services.web.address: 10.78.0.11 is not a guest address in the gateway's /24 network"),
        ("ttl = 5", "ttl = \"five\"", 22, "services.hello.ttl: expected an integer, found string"),
        ("ttl = 5", "ttl = 5\ntll = 6", 23, "services.hello.tll: unknown key"),
        ("accelerator = \"tcg\"", "accelerator = \"xen\"", 10, "libvirt.accelerator: \"xen\" is not one of auto, kvm, tcg"),
        ("listen = \"127.0.0.1:5353\"", "listen = \"127.0.0.1\"", 4, "dns.listen: \"127.0.0.1\" is not HOST:PORT"),
        ("idle_timeout = 0.5", "idle_timeout = 0", 23, "services.hello.idle_timeout: must be at least 0.1 seconds"),
    ])
    func locatesSemanticErrors(original: String, replacement: String, line: Int, message: String) {
        let text = Self.valid.replacingOccurrences(of: original, with: replacement)
        #expect(throws: ConfigError(file: "test.toml", line: line, message: message)) { try parse(text) }
    }

    @Test func theReadyEndpointGoesOnGuestCommandLines() throws {
        let config = try parse(Self.valid.replacingOccurrences(of: "[paths]", with: "[readiness]\nlisten = \"10.77.0.1:5300\"\n\n[paths]"))
        #expect(config.readyEndpoint == IPv4Endpoint(address: IPv4Address(10, 77, 0, 1), port: 5300))
        #expect(throws: ConfigError(file: "test.toml", line: 17, message: "readiness.listen: \"10.77.0.1\" is not IPV4:PORT")) {
            try parse(Self.valid.replacingOccurrences(of: "[paths]", with: "[readiness]\nlisten = \"10.77.0.1\"\n\n[paths]"))
        }
    }

    @Test func anIPv6PrefixGivesEachGuestTheHostPartOfItsIPv4Address() throws {
        func withPrefix(_ value: String) -> String {
            Self.valid.replacingOccurrences(of: "gateway = \"10.77.0.1\"", with: "gateway = \"10.77.0.1\"\nipv6_prefix = \"\(value)\"")
        }
        #expect(try parse(Self.valid).network.ipv6Prefix == nil)
        let network = try parse(withPrefix("fd77::/64")).network
        #expect(network.ipv6Prefix == IPv6Interface(address: IPv6Address("fd77::")!, prefixLength: 64))
        #expect(network.ipv6Address(for: IPv4Address(10, 77, 0, 10)) == IPv6Address("fd77::a"))
        #expect(network.ipv6Interface(for: IPv4Address(10, 77, 0, 254))?.text == "fd77::fe/64")
        #expect(try parse(withPrefix("2001:db8:0:0:0:0:0:0/120")).network.ipv6Address(for: IPv4Address(10, 77, 0, 11)) == IPv6Address("2001:db8::b"))
        for (value, message) in [
            ("fd77::", "\"fd77::\" is not an IPv6 prefix such as \"fd77::/64\""),
            ("10.77.0.0/24", "\"10.77.0.0/24\" is not an IPv6 prefix such as \"fd77::/64\""),
            ("fd77::/121", "/121 leaves no room for the 8-bit host part of a guest's IPv4 address; use /120 or shorter"),
            ("fd77::1/64", "\"fd77::1/64\" has bits set past /64; guests' host parts go there"),
        ] {
            #expect(throws: ConfigError(file: "test.toml", line: 15, message: "network.ipv6_prefix: \(message)")) {
                try parse(withPrefix(value))
            }
        }
    }

    @Test func stopModesAndTheShutdownTimeout() throws {
        let withReadiness = Self.valid.replacingOccurrences(of: "[paths]", with: "[readiness]\nlisten = \"10.77.0.1:5300\"\n\n[paths]")
        for mode in StopMode.allCases {
            let text = withReadiness.replacingOccurrences(of: "ttl = 5", with: "ttl = 5\nstop_mode = \"\(mode.rawValue)\"")
            #expect(try parse(text).services["hello"]?.stopMode == mode)
        }
        let timed = withReadiness.replacingOccurrences(of: "ttl = 5", with: "ttl = 5\nstop_mode = \"shutdown\"\nshutdown_timeout = 0.75")
        #expect(try parse(timed).services["hello"]?.shutdownTimeout == .milliseconds(750))
        #expect(try parse(Self.valid).services["hello"]?.shutdownTimeout == .seconds(2))
        #expect(throws: ConfigError(file: "test.toml", line: 23, message: "services.hello.stop_mode: \"suspend\" is not one of destroy, pause, save, shutdown")) {
            try parse(Self.valid.replacingOccurrences(of: "ttl = 5", with: "ttl = 5\nstop_mode = \"suspend\""))
        }
        // The stop request leaves from the readiness endpoint: without one, shutdown cannot work.
        #expect(throws: ConfigError(file: "test.toml", line: 23, message: "services.hello.stop_mode: \"shutdown\" needs [readiness] listen: the stop request is sent from there")) {
            try parse(Self.valid.replacingOccurrences(of: "ttl = 5", with: "ttl = 5\nstop_mode = \"shutdown\""))
        }
    }

    @Test func addressesTakeAListOrRangesAndABootedPoolNeedsEnough() throws {
        let many = Self.valid.replacingOccurrences(of: "address = \"10.77.0.10\"", with: "addresses = [\"10.77.0.20-10.77.0.22\", \"10.77.0.30\"]\npool = 2\npool_state = \"booted\"")
        let hello = try #require(try parse(many).services["hello"])
        #expect(hello.addresses == [IPv4Address(10, 77, 0, 20), IPv4Address(10, 77, 0, 21), IPv4Address(10, 77, 0, 22), IPv4Address(10, 77, 0, 30)])
        #expect(hello.address == IPv4Address(10, 77, 0, 20))
        #expect(hello.poolState == .booted)
        #expect(try parse(Self.valid).services["hello"]?.poolState == .created)
        #expect(throws: ConfigError(file: "test.toml", line: 24, message: "services.hello.pool_state: \"booted\" needs one address per pool member plus one (3), and addresses has 1")) {
            try parse(Self.valid.replacingOccurrences(of: "ttl = 5", with: "ttl = 5\npool = 2\npool_state = \"booted\""))
        }
        for (value, message) in [
            ("[\"10.77.0.20-10.77.0.19\"]", "\"10.77.0.20-10.77.0.19\" is not an IPv4 address or a range A-B of at most 256"),
            ("[\"10.77.0.20\", \"10.77.0.20\"]", "10.77.0.20 is listed twice"),
            ("[\"10.77.0.10\"]", "10.77.0.10 is already the address of service \"hello\""),
            ("[]", "must not be empty"),
        ] {
            let text = Self.valid.replacingOccurrences(of: "address = \"10.77.0.11\"", with: "addresses = \(value)")
            #expect(throws: ConfigError(file: "test.toml", line: 27, message: "services.web.addresses: \(message)")) { try parse(text) }
        }
        #expect(throws: ConfigError(file: "test.toml", line: 28, message: "services.web.addresses: give address or addresses, not both")) {
            try parse(Self.valid.replacingOccurrences(of: "address = \"10.77.0.11\"", with: "address = \"10.77.0.11\"\naddresses = [\"10.77.0.12\"]"))
        }
    }

    @Test func theControlSocketGroupMustExist() throws {
        let root = try parse(Self.valid.replacingOccurrences(of: "socket = \"run/control.sock\"", with: "socket = \"run/control.sock\"\ngroup = \"root\""))
        #expect(root.controlSocketGroup == "root")
        #expect(throws: ConfigError(file: "test.toml", line: 8, message: "control.group: there is no group \"no-such-group-x\" on this host")) {
            try parse(Self.valid.replacingOccurrences(of: "socket = \"run/control.sock\"", with: "socket = \"run/control.sock\"\ngroup = \"no-such-group-x\""))
        }
    }

    @Test func onShutdownChoosesWhatSIGTERMDoes() throws {
        #expect(try parse(Self.valid).onShutdown == .stop)
        let leave = Self.valid.replacingOccurrences(of: "[paths]", with: "[daemon]\non_shutdown = \"leave\"\n\n[paths]")
        #expect(try parse(leave).onShutdown == .leave)
        #expect(throws: ConfigError(file: "test.toml", line: 17, message: "daemon.on_shutdown: \"keep\" is not one of stop, leave")) {
            try parse(leave.replacingOccurrences(of: "\"leave\"", with: "\"keep\""))
        }
    }

    @Test func reportsSyntaxErrorsWithTheirLine() {
        let text = Self.valid.replacingOccurrences(of: "ttl = 5", with: "ttl = = 5")
        #expect {
            try parse(text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.line == 22 && error.message.hasPrefix("TOML syntax error") && "\(error)".hasPrefix("test.toml:22: ")
        }
    }

    @Test func missingRequiredPiecesAreNamed() {
        #expect(throws: ConfigError(file: "test.toml", line: nil, message: "missing required key \"zone\"")) {
            try parse("[network]\nbridge = \"b\"\ngateway = \"10.0.0.1\"\n")
        }
        #expect(throws: ConfigError(file: "test.toml", line: 19, message: "services.hello: missing required key \"image\"")) {
            try parse(Self.valid.replacingOccurrences(of: "image = \"hello\"\naddress = \"10.77.0.10\"", with: "address = \"10.77.0.10\""))
        }
    }

    @Test func refusesServiceNamesThatAreNotOneDNSLabel() {
        let text = Self.valid.replacingOccurrences(of: "[services.web]", with: "[services.\"web.site\"]")
        #expect(throws: ConfigError.self) { try parse(text) }
        let upper = Self.valid.replacingOccurrences(of: "[services.web]", with: "[services.Web]")
        #expect(throws: ConfigError.self) { try parse(upper) }
    }

    @Test func listenTakesOneAddressOrAnArrayOfIPv4AndIPv6Addresses() throws {
        let one = try parse(Self.valid.replacingOccurrences(of: "\"127.0.0.1:5353\"", with: "\"[::1]:53\""))
        #expect(one.dnsListen == [ListenAddress(host: "::1", port: 53)])
        let both = try parse(
            Self.valid.replacingOccurrences(of: "\"127.0.0.1:5353\"", with: "[\"127.0.0.1:5353\", \"[::1]:5353\"]"))
        #expect(both.dnsListen == [ListenAddress(host: "127.0.0.1", port: 5353), ListenAddress(host: "::1", port: 5353)])
        let absent = try parse(Self.valid.replacingOccurrences(of: "listen = \"127.0.0.1:5353\"", with: ""))
        #expect(absent.dnsListen == [ListenAddress(host: "127.0.0.1", port: 53)])
    }

    /// Each bad `listen` value is refused with line 4, where the key is.
    @Test(arguments: [
        ("[\"127.0.0.1:5353\", 53]", "dns.listen: expected an array of strings, found an element of type integer"),
        ("[]", "dns.listen: must not be empty"),
        ("5353", "dns.listen: expected a string or an array of strings, found integer"),
        ("[\"127.0.0.1:53\", \"127.0.0.1:53\"]", "dns.listen: \"127.0.0.1:53\" is listed twice"),
        ("\"::1:53\"", "dns.listen: \"::1:53\" is not IPV4:PORT or [IPV6]:PORT"),
        ("\"localhost:53\"", "dns.listen: \"localhost:53\" is not IPV4:PORT or [IPV6]:PORT"),
        ("\"[127.0.0.1]:53\"", "dns.listen: \"[127.0.0.1]:53\" is not IPV4:PORT or [IPV6]:PORT"),
        ("\"127.0.0.1:0\"", "dns.listen: \"127.0.0.1:0\" is not HOST:PORT"),
    ])
    func refusesBadListenValuesWithTheirLine(value: String, message: String) {
        let text = Self.valid.replacingOccurrences(of: "\"127.0.0.1:5353\"", with: value)
        #expect(throws: ConfigError(file: "test.toml", line: 4, message: message)) { try parse(text) }
    }

    static let forward = "\n[dns.forward]\nupstream = \"[::1]:53\"\nallow = [\"127.0.0.0/8\", \"::1\"]\ntimeout = 0.5\n"

    @Test func forwardingIsOffUnlessConfigured() throws {
        #expect(try parse(Self.valid).dnsForwarding == nil)
        let forwarding = try #require(try parse(Self.valid + Self.forward).dnsForwarding)
        #expect(forwarding.upstream == DNSListenAddress(host: "::1", port: 53))
        #expect(forwarding.allowed.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(forwarding.timeout == .milliseconds(500))
    }

    /// Problems in `[dns.forward]` name the key and its line (the table starts at line 28).
    @Test(arguments: [
        ("allow = [\"127.0.0.0/8\", \"::1\"]", "allow = [\"127.0.0.0/33\"]", 30,
         "dns.forward.allow: \"127.0.0.0/33\" is not an IP address or ADDRESS/PREFIX-LENGTH"),
        ("allow = [\"127.0.0.0/8\", \"::1\"]\n", "", 28, "dns.forward: missing required key \"allow\" (the client networks that may use forwarding)"),
        ("upstream = \"[::1]:53\"", "upstream = \"resolver:53\"", 29, "dns.forward.upstream: \"resolver:53\" is not IPV4:PORT or [IPV6]:PORT"),
        ("timeout = 0.5", "timeout = 0.5\nport = 53", 32, "dns.forward.port: unknown key"),
    ])
    func locatesForwardingErrors(original: String, replacement: String, line: Int, message: String) {
        let text = Self.valid + Self.forward.replacingOccurrences(of: original, with: replacement)
        #expect(throws: ConfigError(file: "test.toml", line: line, message: message)) { try parse(text) }
    }

    @Test func anUnreadableFileIsNamed() {
        #expect {
            try ConfigLoader.load(path: "/nonexistent/summoner.toml")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/summoner.toml: cannot read the file")
        }
    }
}

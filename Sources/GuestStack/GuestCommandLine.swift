/// The guest's kernel command line: the one grammar shared by the guest, which parses it, and the
/// host (KernelImage, VMLauncher), which renders it, so the two sides cannot drift apart.
///
/// Grammar: space-separated `key=value` words, in any order.
///
/// | key     | value                    | example              | required |
/// |---------|--------------------------|----------------------|----------|
/// | `id`    | instance id, 1-63 bytes of `[A-Za-z0-9._-]` | `hello-1` | yes |
/// | `ip`    | address/prefix           | `10.77.0.10/24`      | no       |
/// | `gw`    | gateway address          | `10.77.0.1`          | no       |
/// | `ip6`   | IPv6 address/prefix      | `fd77::10/64`        | no       |
/// | `gw6`   | IPv6 router address      | `fe80::1`            | no       |
/// | `ready` | address:port to announce readiness to | `10.77.0.1:5300` | no |
///
/// Words with other keys (QEMU appends `virtio_mmio.device=...`, people add `console=...`) are
/// ignored, so the host can pass options the guest does not know yet. A known key with a bad value,
/// a repeated known key, or a missing `id` is an error.
public struct GuestCommandLine: Equatable, Sendable {
    /// The instance id, printed in the `READY <id>` line.
    public var instanceID: String
    /// The guest's address and prefix length on the bridge.
    public var interface: IPv4Interface?
    /// The default gateway.
    public var gateway: IPv4Address?
    /// Where the guest sends its readiness datagram.
    public var readyEndpoint: IPv4Endpoint?
    /// The guest's IPv6 address and prefix length, beside its link-local address.
    public var interface6: IPv6Interface?
    /// The IPv6 router for destinations off that prefix.
    public var gateway6: IPv6Address?

    public init(
        instanceID: String, interface: IPv4Interface? = nil, gateway: IPv4Address? = nil,
        readyEndpoint: IPv4Endpoint? = nil, interface6: IPv6Interface? = nil, gateway6: IPv6Address? = nil
    ) {
        self.instanceID = instanceID
        self.interface = interface
        self.gateway = gateway
        self.readyEndpoint = readyEndpoint
        self.interface6 = interface6
        self.gateway6 = gateway6
    }

    /// The command line text, words in a fixed order.
    public var rendered: String {
        var words = ["id=\(instanceID)"]
        if let interface { words.append("ip=\(interface.text)") }
        if let gateway { words.append("gw=\(gateway.text)") }
        if let readyEndpoint { words.append("ready=\(readyEndpoint.text)") }
        if let interface6 { words.append("ip6=\(interface6.text)") }
        if let gateway6 { words.append("gw6=\(gateway6.text)") }
        var line = ""
        for word in words {
            if !line.isEmpty { line += " " }
            line += word
        }
        return line
    }

    /// True when `id` is a valid instance id: 1-63 bytes of `[A-Za-z0-9._-]`.
    public static func isValidInstanceID(_ id: some Collection<UInt8>) -> Bool {
        guard !id.isEmpty, id.count <= 63 else { return false }
        for byte in id {
            let ok =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || decimalDigit(byte) != nil
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            if !ok { return false }
        }
        return true
    }

    /// Parses the command line bytes (without a trailing NUL).
    public init(parsing bytes: [UInt8]) throws(GuestCommandLineError) {
        var id: [UInt8]? = nil
        var interface: IPv4Interface? = nil
        var gateway: IPv4Address? = nil
        var ready: IPv4Endpoint? = nil
        var interface6: IPv6Interface? = nil
        var gateway6: IPv6Address? = nil

        for word in splitWords(bytes) {
            guard let equals = word.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = word[word.startIndex..<equals]
            let value = word[(equals + 1)...]
            if equalsASCII(key, "id") {
                guard id == nil else { throw .repeatedKey(.id) }
                guard Self.isValidInstanceID(value) else { throw .badValue(.id) }
                id = Array(value)
            } else if equalsASCII(key, "ip") {
                guard interface == nil else { throw .repeatedKey(.ip) }
                guard let parsed = IPv4Interface(parsing: value) else { throw .badValue(.ip) }
                interface = parsed
            } else if equalsASCII(key, "gw") {
                guard gateway == nil else { throw .repeatedKey(.gw) }
                guard let parsed = IPv4Address(parsing: value) else { throw .badValue(.gw) }
                gateway = parsed
            } else if equalsASCII(key, "ready") {
                guard ready == nil else { throw .repeatedKey(.ready) }
                guard let parsed = IPv4Endpoint(parsing: value) else { throw .badValue(.ready) }
                ready = parsed
            } else if equalsASCII(key, "ip6") {
                guard interface6 == nil else { throw .repeatedKey(.ip6) }
                guard let parsed = IPv6Interface(parsing: value) else { throw .badValue(.ip6) }
                interface6 = parsed
            } else if equalsASCII(key, "gw6") {
                guard gateway6 == nil else { throw .repeatedKey(.gw6) }
                guard let parsed = IPv6Address(parsing: value), !parsed.isMulticast, !parsed.isUnspecified else {
                    throw .badValue(.gw6)
                }
                gateway6 = parsed
            }
        }
        guard let id else { throw .missingKey(.id) }
        self.init(
            instanceID: String(decoding: id, as: UTF8.self), interface: interface, gateway: gateway,
            readyEndpoint: ready, interface6: interface6, gateway6: gateway6)
    }
}

/// The keys the guest understands.
public enum GuestCommandLineKey: Equatable, Sendable {
    case id, ip, gw, ready, ip6, gw6

    /// The key as written on the command line.
    public var text: StaticString {
        switch self {
        case .id: return "id"
        case .ip: return "ip"
        case .gw: return "gw"
        case .ready: return "ready"
        case .ip6: return "ip6"
        case .gw6: return "gw6"
        }
    }
}

/// Why a command line was refused.
public enum GuestCommandLineError: Error, Equatable, Sendable {
    /// A required key is absent.
    case missingKey(GuestCommandLineKey)
    /// A key appears twice.
    case repeatedKey(GuestCommandLineKey)
    /// A key's value does not follow the grammar.
    case badValue(GuestCommandLineKey)
}

/// An address with its prefix length, `10.77.0.10/24`.
public struct IPv4Interface: Equatable, Hashable, Sendable {
    public var address: IPv4Address
    public var prefixLength: UInt8

    public init(address: IPv4Address, prefixLength: UInt8) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public init?(parsing text: some Collection<UInt8>) {
        guard let (addressText, prefixLength) = splitPrefix(text, limit: 32),
            let address = IPv4Address(parsing: addressText)
        else { return nil }
        self.init(address: address, prefixLength: prefixLength)
    }

    public var text: String { "\(address.text)/\(prefixLength)" }
}

/// An address and UDP/TCP port, `10.77.0.1:5300`.
public struct IPv4Endpoint: Equatable, Hashable, Sendable {
    public var address: IPv4Address
    public var port: UInt16

    public init(address: IPv4Address, port: UInt16) {
        self.address = address
        self.port = port
    }

    public init?(parsing text: some Collection<UInt8>) {
        let bytes = Array(text)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            let address = IPv4Address(parsing: bytes[..<colon]),
            let port = parseDecimal(bytes[(colon + 1)...], limit: 65535), port > 0
        else { return nil }
        self.init(address: address, port: UInt16(port))
    }

    public var text: String { "\(address.text):\(port)" }
}

/// Splits on spaces and tabs, dropping empty words.
func splitWords(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var words: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    for index in bytes.indices where bytes[index] == UInt8(ascii: " ") || bytes[index] == 9 {
        if index > start { words.append(bytes[start..<index]) }
        start = index + 1
    }
    if start < bytes.endIndex { words.append(bytes[start...]) }
    return words
}

/// Compares bytes with ASCII text without building a String (cheap in the guest).
func equalsASCII(_ bytes: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
    guard bytes.count == text.utf8CodeUnitCount else { return false }
    var pointer = text.utf8Start
    for byte in bytes {
        if byte != pointer.pointee { return false }
        pointer += 1
    }
    return true
}

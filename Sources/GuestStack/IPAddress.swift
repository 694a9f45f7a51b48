/// An IPv4 or IPv6 address: what TCP and UDP carry, so one transport serves both families.
public enum IPAddress: Equatable, Hashable, Sendable {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Dotted-quad or RFC 5952 text.
    public var text: String {
        switch self {
        case .v4(let address): return address.text
        case .v6(let address): return address.text
        }
    }
}

/// An address of either family and a UDP/TCP port.
public struct IPEndpoint: Equatable, Hashable, Sendable {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public init(_ endpoint: IPv4Endpoint) { self.init(address: .v4(endpoint.address), port: endpoint.port) }

    /// `10.77.0.1:5300` or `[fd88::1]:5300`.
    public var text: String {
        switch address {
        case .v4(let address): return "\(address.text):\(port)"
        case .v6(let address): return "[\(address.text)]:\(port)"
        }
    }
}

/// An IPv6 address with its prefix length, `fd88::10/64`.
public struct IPv6Interface: Equatable, Hashable, Sendable {
    public var address: IPv6Address
    public var prefixLength: UInt8

    public init(address: IPv6Address, prefixLength: UInt8) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix`; the address must be a unicast one and the prefix 1-128.
    public init?(parsing text: some Collection<UInt8>) {
        guard let (addressText, prefixLength) = splitPrefix(text, limit: 128), prefixLength > 0,
            let address = IPv6Address(parsing: addressText), !address.isMulticast, !address.isUnspecified
        else { return nil }
        self.init(address: address, prefixLength: prefixLength)
    }

    /// True when `other` is on this interface's prefix.
    public func contains(_ other: IPv6Address) -> Bool { other.hasPrefix(of: address, length: prefixLength) }

    public var text: String { "\(address.text)/\(prefixLength)" }
}

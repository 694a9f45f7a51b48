import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client network allowed to use forwarding: an address prefix such as `127.0.0.0/8` or
/// `fd00::/8`. IPv4 clients that reach an IPv6 socket as `::ffff:a.b.c.d` match IPv4 networks.
public struct DNSClientNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address: 4 bytes for IPv4, 16 for IPv6.
    public let address: [UInt8]
    /// How many leading bits of `address` a client must share.
    public let prefixLength: Int

    /// Parses `ADDRESS/LENGTH`, or a bare address meaning that one host; nil if malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let socket = try? SocketAddress(ipAddress: String(parts[0]), port: 0),
            let bytes = Self.addressBytes(of: socket, unmapping: false)
        else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...bytes.count * 8).contains(length) else { return nil }
        self.address = bytes
        self.prefixLength = length
    }

    /// True if the client at `socket` lies in this network.
    public func contains(_ socket: SocketAddress) -> Bool {
        guard let bytes = Self.addressBytes(of: socket, unmapping: true), bytes.count == address.count else {
            return false
        }
        var remaining = prefixLength
        for (mine, theirs) in zip(address, bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard mine & mask == theirs & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// `127.0.0.0/8`.
    public var description: String {
        let text = address.count == 4
            ? address.map(String.init).joined(separator: ".")
            : DNSIPv6Address(bytes: address).map(\.description) ?? "?"
        return "\(text)/\(prefixLength)"
    }

    /// The address bytes of an IP socket address, optionally turning `::ffff:a.b.c.d` into IPv4.
    static func addressBytes(of socket: SocketAddress, unmapping: Bool) -> [UInt8]? {
        switch socket {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return unmapping && mapped ? Array(bytes[12...]) : bytes
        case .unixDomainSocket:
            return nil
        }
    }
}

import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A client's address as the kernel gave it, kept to send the reply back.
public struct DNSUDPPeer: @unchecked Sendable {
    // SAFETY: plain bytes of a C struct, copied by value.
    var storage = sockaddr_storage()
    var length = socklen_t(0)

    /// The address as a NIO `SocketAddress` (for the forwarding allow-list), nil for a family
    /// other than IPv4 and IPv6.
    public var socketAddress: SocketAddress? {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer -> SocketAddress? in
            switch Int32(storage.ss_family) {
            case AF_INET: return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee) }
            case AF_INET6: return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee) }
            default: return nil
            }
        }
    }
}

/// A bound UDP socket served by plain system calls rather than SwiftNIO (see `DNSUDPWorker`).
/// Replies to queries that waited may be sent from any thread; the descriptor is closed only
/// under the same lock, so a late reply never reaches a descriptor number reused by then.
final class DNSUDPSocket: Sendable {
    private let descriptor: NIOLockedValueBox<Int32>
    /// The address bound, with the port the kernel chose for port 0.
    let localAddress: SocketAddress?
    /// The descriptor for the receive loop, which runs only while the socket is open.
    let loopDescriptor: Int32

    /// Binds a UDP socket to `address`; `reusePort` lets several sockets share the port.
    init(binding address: SocketAddress, reusePort: Bool, receiveTimeout: Duration) throws {
        let family = address.protocol == .inet6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        do {
            // No SO_REUSEADDR: for UDP it would let a second server bind the same port.
            if reusePort { try Self.setOption(fd, SO_REUSEPORT, 1) }
            // A receive that times out lets the loop notice a stop even if no wake-up arrives.
            let (seconds, attoseconds) = receiveTimeout.components
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
            guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
                throw IOError(errnoCode: errno, reason: "setsockopt(SO_RCVTIMEO)")
            }
            let bound = address.withSockAddr { pointer, length in bind(fd, pointer, socklen_t(length)) }
            guard bound == 0 else { throw IOError(errnoCode: errno, reason: "bind(\(address))") }
        } catch {
            Glibc.close(fd)
            throw error
        }
        var peer = DNSUDPPeer()
        peer.length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &peer.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &peer.length) }
        }
        localAddress = named == 0 ? peer.socketAddress : nil
        loopDescriptor = fd
        descriptor = NIOLockedValueBox(fd)
    }

    private static func setOption(_ fd: Int32, _ name: Int32, _ value: Int32) throws {
        var value = value
        guard setsockopt(fd, SOL_SOCKET, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw IOError(errnoCode: errno, reason: "setsockopt(\(name))")
        }
    }

    /// Sends one datagram to `peer`, unless the socket was closed meanwhile. Errors are
    /// dropped: a UDP reply that cannot leave is a lost datagram, and the client retries.
    func send(_ bytes: [UInt8], to peer: DNSUDPPeer) {
        descriptor.withLockedValue { fd in
            guard fd >= 0 else { return }
            var peer = peer
            _ = bytes.withUnsafeBytes { payload in
                withUnsafePointer(to: &peer.storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, payload.baseAddress, payload.count, Int32(MSG_DONTWAIT), $0, peer.length)
                    }
                }
            }
        }
    }

    /// Wakes a receive blocked on the socket: further receives return at once.
    func shutdownReceiving() {
        descriptor.withLockedValue { fd in
            // Linux wakes a blocked recvmmsg even on an unconnected UDP socket, though the call
            // itself reports ENOTCONN.
            if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RD)) }
        }
    }

    /// Closes the descriptor; later sends are dropped. Call once the receive loop has ended.
    func close() {
        descriptor.withLockedValue { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}

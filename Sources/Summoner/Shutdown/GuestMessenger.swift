import GuestStack
import NIOConcurrencyHelpers
import NIOCore

/// Sends control datagrams to guests (the stop request of stop mode `shutdown`). The datagrams
/// leave from the readiness endpoint, which is the only source a guest accepts them from.
public protocol GuestMessenger: Sendable {
    func send(_ payload: [UInt8], to endpoint: IPv4Endpoint) async throws
}

/// A `GuestMessenger` over the channel `ReadyDatagramListener` binds; sends fail until it is bound.
public final class DatagramGuestMessenger: GuestMessenger {
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    public init() {}

    /// Called by the listener once its socket is bound (and with nil when it closes).
    func attach(_ channel: (any Channel)?) { self.channel.withLockedValue { $0 = channel } }

    public func send(_ payload: [UInt8], to endpoint: IPv4Endpoint) async throws {
        guard let channel = channel.withLockedValue({ $0 }) else { throw GuestMessengerError.notBound }
        let address = try SocketAddress(ipAddress: endpoint.address.text, port: Int(endpoint.port))
        let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: payload))
        try await channel.writeAndFlush(envelope)
    }
}

/// Why a guest message could not be sent.
public enum GuestMessengerError: Error, CustomStringConvertible {
    /// The readiness socket is not bound (yet, or any more).
    case notBound

    public var description: String { "the readiness socket is not bound, so no datagram can be sent to a guest" }
}

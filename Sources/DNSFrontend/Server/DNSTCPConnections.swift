import NIOConcurrencyHelpers
import NIOCore

/// The open DNS TCP connections of a server, shared by its listeners: enforces the connection
/// limit and lets shutdown close them all.
final class DNSTCPConnections: Sendable {
    /// Most connections open at once; one more is closed as soon as it is accepted.
    let limit: Int
    private let channels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { channels.withLockedValue { $0.count } }

    /// Registers `channel` and returns true, or returns false when the limit is reached.
    func admit(_ channel: any Channel) -> Bool {
        channels.withLockedValue { open in
            guard open.count < limit else { return false }
            open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func remove(_ channel: any Channel) {
        _ = channels.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes every open connection, for shutdown.
    func closeAll() {
        for channel in channels.withLockedValue({ Array($0.values) }) {
            channel.close(promise: nil)
        }
    }
}

/// First handler of every accepted connection: closes it at once if the server already has
/// `connections.limit` open, else keeps it counted until it closes.
final class DNSTCPConnectionLimiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let connections: DNSTCPConnections
    private var admitted = false

    init(connections: DNSTCPConnections) {
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        admitted = connections.admit(context.channel)
        guard admitted else {
            context.close(promise: nil)
            return
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if admitted {
            admitted = false
            connections.remove(context.channel)
        }
        context.fireChannelInactive()
    }
}

/// A datagram received on a bound port.
public struct ReceivedDatagram: Equatable {
    public var source: IPEndpoint
    public var destinationPort: UInt16
    public var payload: [UInt8]
}

/// The bound UDP ports and their receive queues. Bounded: a full queue drops new datagrams,
/// as a socket buffer would, so a flood cannot exhaust memory.
public struct UDPSockets {
    struct Socket {
        var port: UInt16
        var queue: [ReceivedDatagram]
    }

    public static let queueLimit = 64
    var sockets: [Socket] = []

    public init() {}

    /// Starts accepting datagrams for `port`.
    public mutating func bind(_ port: UInt16) {
        for socket in sockets where socket.port == port { return }
        sockets.append(Socket(port: port, queue: []))
    }

    /// True when `port` is bound.
    public func isBound(_ port: UInt16) -> Bool {
        for socket in sockets where socket.port == port { return true }
        return false
    }

    /// Queues a datagram for its port; false when the port is not bound.
    mutating func deliver(_ datagram: ReceivedDatagram) -> Bool {
        for index in sockets.indices where sockets[index].port == datagram.destinationPort {
            if sockets[index].queue.count < Self.queueLimit { sockets[index].queue.append(datagram) }
            return true
        }
        return false
    }

    /// The oldest datagram waiting on `port`, or nil.
    public mutating func receive(on port: UInt16) -> ReceivedDatagram? {
        for index in sockets.indices where sockets[index].port == port && !sockets[index].queue.isEmpty {
            return sockets[index].queue.removeFirst()
        }
        return nil
    }
}

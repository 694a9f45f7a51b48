/// The guest's IPv4 stack over one network device: Ethernet, ARP, IPv4, ICMP echo, UDP and TCP.
///
/// Single-threaded and driven from outside: `poll(now:)` takes every waiting frame from the
/// device, answers what the stack answers itself (ARP, ping, TCP control), queues data for the
/// application, and runs the timers that are due; `nextDeadline` says when it needs to run
/// again even if nothing arrives. Time is microseconds on a monotonic clock the caller owns,
/// so tests drive the same code with a virtual clock.
public struct NetworkStack<Device: NetworkDevice> {
    public var device: Device
    public let interface: IPv4Interface
    public let gateway: IPv4Address?
    public var udp = UDPSockets()
    public var tcp: TCPEndpoint
    public var statistics = NetworkStatistics()

    var arpCache = ARPCache()
    var arpResolver = ARPResolver()
    var nextIdentification: UInt16 = 1

    public init(device: Device, interface: IPv4Interface, gateway: IPv4Address? = nil, tcpLimits: TCPEndpoint.Limits = .init()) {
        self.device = device
        self.interface = interface
        self.gateway = gateway
        tcp = TCPEndpoint(localAddress: interface.address, limits: tcpLimits)
    }

    public var macAddress: MACAddress { device.macAddress }
    public var address: IPv4Address { interface.address }

    /// Sends a gratuitous ARP request for the stack's own address, so the bridge and its
    /// neighbours learn where it is before the first packet (RFC 5227, section 3).
    public mutating func announce() {
        transmit(
            ARPPacket.frame(
                operation: ARPPacket.Operation.request, senderHardware: macAddress, senderProtocol: address,
                targetHardware: .zero, targetProtocol: address, destination: .broadcast))
    }

    /// Processes every frame waiting at the device, then the timers due at `now`. TCP
    /// acknowledgments wait for `flush`, so they can ride on the application's answer.
    public mutating func poll(now: UInt64) {
        while let frame = device.receiveFrame() {
            statistics.framesReceived += 1
            handleFrame(frame, now: now)
        }
        for target in arpResolver.due(now: now) { sendARPRequest(for: target) }
        tcp.runTimers(now: now)
        sendTCPSegments(now: now)
    }

    /// Sends what TCP connections have queued: the application's data, acknowledgments.
    public mutating func flush(now: UInt64) {
        tcp.flush(now: now)
        sendTCPSegments(now: now)
    }

    /// When the stack next needs `poll` even without traffic, or nil.
    public var nextDeadline: UInt64? {
        let arp = arpResolver.nextDeadline
        let tcpDeadline = tcp.nextDeadline
        guard let arp else { return tcpDeadline }
        guard let tcpDeadline else { return arp }
        return min(arp, tcpDeadline)
    }

    /// Sends a UDP datagram; false when it could not be queued.
    @discardableResult
    public mutating func sendUDP(from port: UInt16, to destination: IPv4Endpoint, payload: ArraySlice<UInt8>, now: UInt64) -> Bool {
        let datagram = UDPDatagram.make(
            source: IPv4Endpoint(address: address, port: port), destination: destination, payload: payload)
        return sendIPv4(to: destination.address, protocolNumber: IPv4Packet.ProtocolNumber.udp, payload: datagram[...], now: now)
    }

    /// Wraps `payload` in IPv4 and Ethernet and sends it, resolving the next hop first if needed.
    @discardableResult
    mutating func sendIPv4(to destination: IPv4Address, protocolNumber: UInt8, payload: ArraySlice<UInt8>, now: UInt64) -> Bool {
        let nextHop = interface.contains(destination) || gateway == nil ? destination : gateway!
        var frame = EthernetFrame.beginFrame(
            destination: .zero, source: macAddress, etherType: EthernetFrame.EtherType.ipv4,
            capacity: IPv4Packet.minimumHeaderLength + payload.count)
        IPv4Packet.appendHeader(
            to: &frame, source: address, destination: destination, protocolNumber: protocolNumber,
            payloadLength: payload.count, identification: nextIdentification)
        nextIdentification &+= 1
        frame.append(contentsOf: payload)
        if destination == interface.broadcast || destination == IPv4Address(0xffff_ffff) {
            MACAddress.broadcast.write(to: &frame, at: 0)
            return transmit(frame)
        }
        if let hardware = arpCache.lookup(nextHop, now: now) {
            hardware.write(to: &frame, at: 0)
            return transmit(frame)
        }
        if arpResolver.enqueue(frame, for: nextHop, now: now) { sendARPRequest(for: nextHop) }
        return true
    }

    @discardableResult
    mutating func transmit(_ frame: [UInt8]) -> Bool {
        if device.transmitFrame(frame) {
            statistics.framesSent += 1
            return true
        }
        statistics.transmitDrops += 1
        return false
    }

    mutating func sendARPRequest(for target: IPv4Address) {
        transmit(
            ARPPacket.frame(
                operation: ARPPacket.Operation.request, senderHardware: macAddress, senderProtocol: address,
                targetHardware: .zero, targetProtocol: target, destination: .broadcast))
    }

    mutating func sendTCPSegments(now: UInt64) {
        while let segment = tcp.takeOutgoing() {
            sendIPv4(to: segment.destination, protocolNumber: IPv4Packet.ProtocolNumber.tcp, payload: segment.bytes[...], now: now)
        }
    }
}

/// Counters for diagnostics and tests.
public struct NetworkStatistics: Equatable {
    public var framesReceived = 0
    public var framesSent = 0
    public var transmitDrops = 0
    /// Frames that were malformed, not for us, or of a protocol the stack does not speak.
    public var framesIgnored = 0
    public var fragmentsDropped = 0
    public var echoRepliesSent = 0
    public var udpDelivered = 0
    public init() {}
}

extension IPv4Interface {
    /// The network mask as a host-order value.
    public var mask: UInt32 { prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - Int(prefixLength)) }

    /// True when `other` is on this interface's subnet.
    public func contains(_ other: IPv4Address) -> Bool { other.value & mask == address.value & mask }

    /// The subnet's broadcast address.
    public var broadcast: IPv4Address { IPv4Address(address.value | ~mask) }
}

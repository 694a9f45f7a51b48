/// The guest's network stack over one network device: Ethernet; ARP, IPv4 and ICMP echo; IPv6
/// with neighbor discovery and ICMPv6 echo; UDP and TCP over either family.
///
/// IPv4 is always configured. IPv6 always has the link-local address formed from the MAC, and a
/// configured address when the command line gives one (`ip6=`).
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
    /// The configured IPv6 address and prefix, if any.
    public let interface6: IPv6Interface?
    /// The IPv6 router for destinations off the prefix, if any.
    public let gateway6: IPv6Address?
    /// `fe80::` and the MAC's modified EUI-64 (RFC 4862, 5.3).
    public let linkLocalAddress: IPv6Address
    public var udp = UDPSockets()
    public var tcp: TCPEndpoint
    public var statistics = NetworkStatistics()

    var arpCache = ARPCache()
    var arpResolver = ARPResolver()
    var neighborCache = NDPCache()
    var neighborResolver = NDPResolver()
    /// When the second unsolicited MLD report is due (RFC 3810's robustness: reports go twice).
    var multicastReportAt: UInt64? = nil
    var nextIdentification: UInt16 = 1

    public init(
        device: Device, interface: IPv4Interface, gateway: IPv4Address? = nil, interface6: IPv6Interface? = nil,
        gateway6: IPv6Address? = nil, tcpLimits: TCPEndpoint.Limits = .init()
    ) {
        self.device = device
        self.interface = interface
        self.gateway = gateway
        self.interface6 = interface6
        self.gateway6 = gateway6
        linkLocalAddress = IPv6Address.linkLocal(for: device.macAddress)
        tcp = TCPEndpoint(limits: tcpLimits)
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

    /// Joins the solicited-node groups of the IPv6 addresses (MLD reports, now and once more a
    /// second later) and sends an unsolicited neighbor advertisement for each address (RFC 4861,
    /// 7.2.6), the counterpart of `announce`. The guest does this just after it has announced
    /// readiness: on a bridge without an MLD querier nothing depends on it, and the code it runs
    /// would otherwise lengthen the boot under TCG.
    public mutating func announceIPv6(now: UInt64) {
        reportMulticastGroups(recordType: MulticastListenerMessage.RecordType.changeToExclude)
        multicastReportAt = now + Self.unsolicitedReportInterval
        announceIPv6(linkLocalAddress)
        if let interface6 { announceIPv6(interface6.address) }
    }

    /// RFC 3810's Unsolicited Report Interval.
    static var unsolicitedReportInterval: UInt64 { 1_000_000 }

    /// Processes every frame waiting at the device, then the timers due at `now`. TCP
    /// acknowledgments wait for `flush`, so they can ride on the application's answer.
    public mutating func poll(now: UInt64) {
        while let frame = device.receiveFrame() {
            statistics.framesReceived += 1
            handleFrame(frame, now: now)
        }
        for target in arpResolver.due(now: now) { sendARPRequest(for: target) }
        for target in neighborResolver.due(now: now) { sendNeighborSolicitation(for: target) }
        if let at = multicastReportAt, at <= now {
            multicastReportAt = nil
            reportMulticastGroups(recordType: MulticastListenerMessage.RecordType.changeToExclude)
        }
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
        var earliest = tcp.nextDeadline ?? UInt64.max
        if let arp = arpResolver.nextDeadline { earliest = min(earliest, arp) }
        if let neighbor = neighborResolver.nextDeadline { earliest = min(earliest, neighbor) }
        if let report = multicastReportAt { earliest = min(earliest, report) }
        return earliest == UInt64.max ? nil : earliest
    }

    /// Sends a UDP datagram over the destination's family; false when it could not be queued
    /// (or, for IPv6, when no address of the stack can reach the destination).
    @discardableResult
    public mutating func sendUDP(from port: UInt16, to destination: IPEndpoint, payload: ArraySlice<UInt8>, now: UInt64) -> Bool {
        switch destination.address {
        case .v4(let address):
            let datagram = UDPDatagram.make(
                source: IPEndpoint(address: .v4(self.address), port: port), destination: destination, payload: payload)
            return sendIPv4(to: address, protocolNumber: IPv4Packet.ProtocolNumber.udp, payload: datagram[...], now: now)
        case .v6(let address):
            guard let source = sourceAddress(toward: address) else { return false }
            let datagram = UDPDatagram.make(
                source: IPEndpoint(address: .v6(source), port: port), destination: destination, payload: payload)
            return sendIPv6(from: source, to: address, nextHeader: IPv6Packet.NextHeader.udp, payload: datagram[...], now: now)
        }
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
            switch (segment.source, segment.destination) {
            case (.v4, .v4(let destination)):
                sendIPv4(to: destination, protocolNumber: IPv4Packet.ProtocolNumber.tcp, payload: segment.bytes[...], now: now)
            case (.v6(let source), .v6(let destination)):
                sendIPv6(from: source, to: destination, nextHeader: IPv6Packet.NextHeader.tcp, payload: segment.bytes[...], now: now)
            default:
                break  // a connection's two ends are always of one family
            }
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
    /// Neighbor advertisements sent in answer to solicitations (IPv6's ARP replies).
    public var neighborAdvertisementsSent = 0
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

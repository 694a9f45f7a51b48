@testable import GuestStack

/// A deliberately simple TCP client for the far end of a simulated link: active open, go-back-N
/// retransmission on a fixed timeout, in-order receive only (anything else is re-acknowledged),
/// FIN after its data. It also answers ARP for its address. Independent of the stack's TCP, so
/// the two cannot share a bug.
struct TestTCPClient {
    let local: IPEndpoint
    let remote: IPEndpoint
    let mss: Int
    var payload: [UInt8]
    var received: [UInt8] = []

    let initialSequence: UInt32 = 0xffff_f000  // wraps during the transfer on purpose
    var sendUnacknowledged: UInt32
    var sendNext: UInt32
    var peerWindow: UInt32 = 0
    var receiveNext: UInt32 = 0
    var connected = false
    var finSent = false
    var finAcknowledged = false
    var peerFinished = false
    var resetReceived = false
    var retransmitAt: UInt64? = nil
    let timeout: UInt64 = 200_000
    var outgoing: [[UInt8]] = []

    init(local: IPEndpoint = IPEndpoint(address: .v4(hostIP), port: 40000), remote: IPEndpoint, mss: Int, payload: [UInt8]) {
        self.local = local
        self.remote = remote
        self.mss = mss
        self.payload = payload
        sendUnacknowledged = initialSequence
        sendNext = initialSequence
    }

    var dataStart: UInt32 { initialSequence &+ 1 }
    var isDone: Bool { finAcknowledged && peerFinished }

    func frame(_ segment: [UInt8]) -> [UInt8] {
        switch (local.address, remote.address) {
        case (.v6(let source), .v6(let destination)):
            return HostFrames.ipv6(from: source, to: destination, nextHeader: IPv6Packet.NextHeader.tcp, payload: segment)
        case (.v4(let source), .v4(let destination)):
            return HostFrames.ipv4(from: source, to: destination, protocolNumber: 6, payload: segment)
        default:
            fatalError("a client's two ends are of one family")
        }
    }

    mutating func send(sequence: UInt32, flags: TCPSegment.Flags, data: ArraySlice<UInt8> = []) {
        outgoing.append(
            frame(
                TCPSegment.make(
                    source: local, destination: remote, sequenceNumber: SequenceNumber(sequence),
                    acknowledgmentNumber: SequenceNumber(receiveNext), flags: flags, window: 65535,
                    maximumSegmentSize: flags.contains(.syn) ? UInt16(mss) : nil, payload: data)))
    }

    mutating func start(now: UInt64) {
        send(sequence: initialSequence, flags: .syn)
        sendNext = initialSequence &+ 1
        retransmitAt = now + timeout
    }

    /// Sends new data within the peer's window (at most eight segments in flight), then FIN.
    mutating func transmit(now: UInt64) {
        guard connected else { return }
        while true {
            let offset = Int(sendNext &- dataStart)
            let inFlight = sendNext &- sendUnacknowledged
            let room = Int(min(peerWindow, UInt32(8 * mss))) - Int(inFlight)
            if offset < payload.count, room > 0 {
                let length = min(mss, payload.count - offset, room)
                send(sequence: sendNext, flags: [.ack, .psh], data: payload[offset..<(offset + length)])
                sendNext &+= UInt32(length)
            } else if offset == payload.count, !finSent {
                send(sequence: sendNext, flags: [.fin, .ack])
                sendNext &+= 1
                finSent = true
                break
            } else {
                break
            }
        }
        if retransmitAt == nil, sendNext != sendUnacknowledged { retransmitAt = now + timeout }
    }

    mutating func tick(now: UInt64) {
        guard let at = retransmitAt, now >= at else { return }
        retransmitAt = nil
        if !connected {
            start(now: now)
            return
        }
        sendNext = sendUnacknowledged  // go back N
        if finSent && !finAcknowledged { finSent = false }
        transmit(now: now)
        if sendNext == sendUnacknowledged, peerWindow == 0 { retransmitAt = now + timeout }
    }

    mutating func handle(_ bytes: [UInt8], now: UInt64) {
        guard let ethernet = EthernetFrame(bytes[...]) else { return }
        if let arp = ARPPacket(ethernet.payload), arp.operation == ARPPacket.Operation.request,
            case .v4(let address) = local.address, arp.targetProtocol == address
        {
            outgoing.append(HostFrames.arp(operation: ARPPacket.Operation.reply, destination: guestMAC))
            return
        }
        if case .v6(let address) = local.address, let ip = IPv6Packet(ethernet.payload),
            let message = ICMPv6Message(ip.payload, source: ip.source, destination: ip.destination),
            let solicitation = NeighborDiscoveryMessage(message, in: ip), solicitation.isSolicitation, solicitation.target == address
        {
            outgoing.append(HostFrames.neighborAdvertisement(target: address, to: ip.source))
            return
        }
        guard let segment = Self.tcpSegment(in: ethernet), segment.destinationPort == local.port else { return }
        let flags = segment.flags
        if flags.contains(.rst) {
            resetReceived = true
            return
        }
        if !connected {
            guard flags.contains([.syn, .ack]), segment.acknowledgmentNumber.value == initialSequence &+ 1 else { return }
            connected = true
            receiveNext = segment.sequenceNumber.value &+ 1
            sendUnacknowledged = segment.acknowledgmentNumber.value
            peerWindow = UInt32(segment.window)
            retransmitAt = nil
            send(sequence: sendNext, flags: .ack)
            transmit(now: now)
            return
        }
        let ack = segment.acknowledgmentNumber.value
        if flags.contains(.ack), Int32(bitPattern: ack &- sendUnacknowledged) > 0, Int32(bitPattern: sendNext &- ack) >= 0 {
            sendUnacknowledged = ack
            retransmitAt = sendNext == sendUnacknowledged ? nil : now + timeout
            if finSent && ack == dataStart &+ UInt32(payload.count) &+ 1 { finAcknowledged = true }
        }
        if flags.contains(.ack) { peerWindow = UInt32(segment.window) }
        let data = segment.payload
        if segment.sequenceNumber.value == receiveNext, !peerFinished {
            received += data
            receiveNext &+= UInt32(data.count)
            if flags.contains(.fin) {
                receiveNext &+= 1
                peerFinished = true
            }
        }
        if !data.isEmpty || flags.contains(.fin) { send(sequence: sendNext, flags: .ack) }
        transmit(now: now)
    }

    /// The TCP segment in an IPv4 or IPv6 frame, checksum verified.
    static func tcpSegment(in ethernet: EthernetFrame) -> TCPSegment? {
        if let ip = IPv4Packet(ethernet.payload), ip.protocolNumber == IPv4Packet.ProtocolNumber.tcp {
            return TCPSegment(ip.payload, source: .v4(ip.source), destination: .v4(ip.destination))
        }
        if let ip = IPv6Packet(ethernet.payload), ip.nextHeader == IPv6Packet.NextHeader.tcp {
            return TCPSegment(ip.payload, source: .v6(ip.source), destination: .v6(ip.destination))
        }
        return nil
    }
}

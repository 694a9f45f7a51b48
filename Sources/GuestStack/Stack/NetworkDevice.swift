/// What the network stack needs from a network card: its address, received frames, and a way
/// to send. The virtio-net driver implements it in the guest; tests use simulated links.
public protocol NetworkDevice {
    /// The card's Ethernet address.
    var macAddress: MACAddress { get }

    /// The next received Ethernet frame (no frame check sequence), or nil when none is waiting.
    mutating func receiveFrame() -> [UInt8]?

    /// Queues `frame` for sending. Returns false when the card has no room: the frame is
    /// dropped, as a full queue on a real link would (TCP retransmits, ICMP/UDP callers accept loss).
    mutating func transmitFrame(_ frame: [UInt8]) -> Bool
}

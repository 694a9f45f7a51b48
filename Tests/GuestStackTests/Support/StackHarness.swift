@testable import GuestStack

/// A guest stack on a `QueueDevice` with a virtual clock, and the application loop the guest
/// runs (poll, application, flush), for tests.
struct StackHarness {
    var stack: NetworkStack<QueueDevice>
    var now: UInt64 = 1_000_000

    init(limits: TCPEndpoint.Limits = .init()) {
        stack = NetworkStack(
            device: QueueDevice(), interface: IPv4Interface(address: guestIP, prefixLength: 24), gateway: hostIP,
            interface6: IPv6Interface(address: guestIP6, prefixLength: 64), tcpLimits: limits)
        // The host is known, as after the gratuitous ARP exchange at boot.
        stack.arpCache.insert(hostIP, hostMAC, now: now)
        stack.neighborCache.insert(hostIP6, hostMAC, now: now)
    }

    /// Delivers frames, runs one turn of the loop, returns what the stack sent.
    mutating func exchange(_ frames: [[UInt8]], application: (inout NetworkStack<QueueDevice>) -> Void = { _ in }) -> [SentFrame] {
        stack.device.incoming += frames
        stack.poll(now: now)
        application(&stack)
        stack.flush(now: now)
        let sent = stack.device.sent.map(SentFrame.init)
        stack.device.sent.removeAll()
        return sent
    }
}

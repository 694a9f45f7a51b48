/// `echo`: a UDP echo server on port 7 (RFC 862). Answers ping like every guest.

struct EchoServer: GuestApplication {
    static let port: UInt16 = 7

    mutating func start(stack: inout GuestStack, commandLine: GuestCommandLine) { stack.udp.bind(Self.port) }

    mutating func ready(bootMicroseconds: UInt64) {}

    mutating func serve(stack: inout GuestStack, now: UInt64) {
        while let datagram = stack.udp.receive(on: Self.port) {
            stack.sendUDP(from: Self.port, to: datagram.source, payload: datagram.payload[...], now: now)
        }
    }

    var nextDeadline: UInt64? { nil }
}

@_cdecl("guest_main")
public func guestMain() -> Never {
    var server = EchoServer()
    runGuest(&server)
}

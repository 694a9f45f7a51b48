/// `hello`: the guest the demo summons. Brings up the network from the kernel command line,
/// answers ping, and announces readiness (`READY <id>` on serial, and by UDP to `ready=`).
///
/// Built as Embedded Swift in one module with Sources/GuestStack and guest/platform; the
/// platform boots the machine and calls `guest_main`.

struct HelloServer: GuestApplication {
    mutating func start(stack: inout GuestStack) {}
    mutating func serve(stack: inout GuestStack, now: UInt64) {}
}

@_cdecl("guest_main")
public func guestMain() -> Never {
    var server = HelloServer()
    runGuest(&server)
}

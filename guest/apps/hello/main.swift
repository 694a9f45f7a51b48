/// `hello`: the guest the demo summons. An HTTP/1.1 server on port 80: `GET /` is a page with
/// the instance id and the boot time in microseconds, `GET /healthz` is 200. Answers ping, and
/// announces readiness (`READY <id>` on serial, and by UDP to `ready=`) once it listens.
///
/// Built as Embedded Swift in one module with Sources/GuestStack and guest/platform; the
/// platform boots the machine and calls `guest_main`.

struct HelloServer: GuestApplication {
    var http = HTTPServer(port: 80, responder: StatusPageResponder(instanceID: [], bootMicroseconds: 0))

    mutating func start(stack: inout GuestStack, commandLine: GuestCommandLine) {
        http.responder.instanceID = Array(commandLine.instanceID.utf8)
        http.start(stack: &stack)
    }

    mutating func ready(bootMicroseconds: UInt64) { http.responder.bootMicroseconds = bootMicroseconds }

    mutating func serve(stack: inout GuestStack, now: UInt64) { http.serve(stack: &stack, now: now) }

    var nextDeadline: UInt64? { http.nextDeadline }
}

@_cdecl("guest_main")
public func guestMain() -> Never {
    var server = HelloServer()
    runGuest(&server)
}

/// Finding the network card, bringing up the stack, and the guest's event loop.
typealias GuestStack = NetworkStack<VirtioNetDriver<GuestMMIOTransport>>

/// microvm's virtio-mmio window: transports every 512 bytes from 0xfeb00000, 24 of them when
/// ACPI is on (which also adds the second I/O APIC), else 8, in QEMU 7.2.
let virtioWindowBase: UInt64 = 0xfeb0_0000

/// The network card: from `virtio_mmio.device=` when the command line names one (QEMU appends it
/// only with ACPI off; libvirt's microvm has ACPI on), else the first virtio network device found
/// by probing the window from the top: QEMU fills the transports from the last one down, so the
/// first probe finds a lone card, where probing upwards read 48 registers first (each an exit to
/// QEMU under KVM). The interrupt of a probed device follows QEMU's microvm wiring: GSI 24 + slot
/// on the second I/O APIC, else GSI 16 + slot.
func findNetworkDevice(commandLine: [UInt8]) -> VirtioMMIODeviceLocation? {
    for location in VirtioMMIODeviceLocation.all(inCommandLine: commandLine) {
        let transport = GuestMMIOTransport(base: location.base)
        if transport.read32(VirtioMMIORegister.magicValue) == VirtioMMIORegister.magic,
            transport.read32(VirtioMMIORegister.deviceID) == VirtioMMIORegister.networkDeviceID
        {
            return location
        }
    }
    let hasSecondIOAPIC = platform_has_second_ioapic() != 0
    let firstGSI: UInt32 = hasSecondIOAPIC ? 24 : 16
    let slots = hasSecondIOAPIC ? 24 : 8
    for slot in stride(from: slots - 1, through: 0, by: -1) {
        let base = virtioWindowBase + UInt64(slot) * 0x200
        let transport = GuestMMIOTransport(base: base)
        guard transport.read32(VirtioMMIORegister.magicValue) == VirtioMMIORegister.magic else { continue }
        if transport.read32(VirtioMMIORegister.deviceID) == VirtioMMIORegister.networkDeviceID {
            return VirtioMMIODeviceLocation(base: base, size: 0x200, interrupt: firstGSI + UInt32(slot))
        }
    }
    return nil
}

/// Microseconds since the guest's first instruction.
func nowMicroseconds() -> UInt64 { platform_now_ns() / 1000 }

/// Brings up the card and the stack from the command line, or stops with `FAILED ...`.
func startNetwork(_ commandLine: GuestCommandLine, rawCommandLine: [UInt8]) -> GuestStack {
    guard let interface = commandLine.interface else { GuestConsole.fail("network: no ip= on the command line") }
    guard let location = findNetworkDevice(commandLine: rawCommandLine) else { GuestConsole.fail("network: no virtio-net device") }
    let driver: VirtioNetDriver<GuestMMIOTransport>
    do {
        driver = try VirtioNetDriver(transport: GuestMMIOTransport(base: location.base))
    } catch {
        GuestConsole.fail("network: virtio-net device refused setup")
    }
    platform_route_device_interrupt(location.interrupt, location.base + UInt64(VirtioMMIORegister.interruptStatus))
    var stack = GuestStack(
        device: driver, interface: interface, gateway: commandLine.gateway, interface6: commandLine.interface6,
        gateway6: commandLine.gateway6)
    stack.announce()
    return stack
}

/// An application served by the guest's event loop.
protocol GuestApplication {
    /// Binds or listens on the stack; runs once before readiness is announced.
    mutating func start(stack: inout GuestStack, commandLine: GuestCommandLine)
    /// Called once, as readiness is announced, with the guest's boot time.
    mutating func ready(bootMicroseconds: UInt64)
    /// Does the application's work after each poll of the stack.
    mutating func serve(stack: inout GuestStack, now: UInt64)
    /// When the application next needs to run without traffic (its own timeouts), or nil.
    var nextDeadline: UInt64? { get }
}

/// Starts the network and `application`, announces readiness, then serves until the host asks
/// it to stop (`StopRequest`): poll the stack, let the application work, flush what it wrote,
/// sleep until the next interrupt or timer.
func runGuest<Application: GuestApplication>(_ application: inout Application) -> Never {
    let raw = commandLineBytes()
    let commandLine = parseCommandLineOrFail()
    var stack = startNetwork(commandLine, rawCommandLine: raw)
    if commandLine.readyEndpoint != nil { stack.udp.bind(StopRequest.guestPort) }
    application.start(stack: &stack, commandLine: commandLine)
    let bootMicroseconds = nowMicroseconds()
    application.ready(bootMicroseconds: bootMicroseconds)
    // The exact line the host's serial watcher matches, then the boot time on a line of its own.
    GuestConsole.write(string: ReadyLine.text(instanceID: commandLine.instanceID))
    GuestConsole.write("\n")
    GuestConsole.write(string: ReadyLine.bootTimePrefix)
    GuestConsole.write(decimal: bootMicroseconds)
    GuestConsole.write("\n")
    stack.announceIPv6(now: nowMicroseconds())
    var announcer = ReadinessAnnouncer(start: bootMicroseconds)
    let readyPayload = ReadinessAnnouncer.payload(instanceID: commandLine.instanceID, bootMicroseconds: bootMicroseconds)
    let instanceID = Array(commandLine.instanceID.utf8)
    let readyEndpoint = commandLine.readyEndpoint.map { IPEndpoint($0) }
    var stopDeadline: UInt64? = nil
    while true {
        let now = nowMicroseconds()
        stack.poll(now: now)
        if let ready = readyEndpoint {
            if announcer.due(now: now) {
                stack.sendUDP(from: StopRequest.guestPort, to: ready, payload: readyPayload[...], now: now)
            }
            while let datagram = stack.udp.receive(on: StopRequest.guestPort) {
                guard stopDeadline == nil, datagram.source == ready,
                    StopRequest.matches(datagram.payload, instanceID: instanceID)
                else { continue }
                GuestConsole.write("STOPPING ")
                GuestConsole.write(bytes: instanceID)
                GuestConsole.write("\n")
                stopDeadline = now + StopRequest.drainMicroseconds
            }
        }
        application.serve(stack: &stack, now: now)
        stack.flush(now: nowMicroseconds())
        if let stopDeadline, stack.tcp.openConnectionCount == 0 || nowMicroseconds() >= stopDeadline {
            GuestConsole.write("STOPPED ")
            GuestConsole.write(bytes: instanceID)
            GuestConsole.write("\n")
            platform_power_off()
        }
        var deadline = min(stack.nextDeadline ?? UInt64.max, application.nextDeadline ?? UInt64.max)
        if commandLine.readyEndpoint != nil, let next = announcer.nextDeadline { deadline = min(deadline, next) }
        if let stopDeadline { deadline = min(deadline, stopDeadline) }
        platform_idle(deadline == UInt64.max ? UInt64.max : deadline * 1000)
    }
}

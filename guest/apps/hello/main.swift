/// `hello`: the skeleton guest. Parses the kernel command line and announces readiness on the
/// serial console with `READY <instance-id>`, or says why it cannot, then halts.
///
/// Built as Embedded Swift in one module with Sources/GuestStack; the platform layer
/// (guest/platform) boots the machine and calls `guest_main`.

@_cdecl("guest_main")
public func guestMain() -> Never {
    let commandLine: GuestCommandLine
    do {
        commandLine = try GuestCommandLine(parsing: commandLineBytes())
    } catch {
        writeSerial("FAILED command line: ")
        error.writeReason()
        writeSerial("\n")
        platform_halt()
    }
    writeSerial(string: ReadyLine.text(instanceID: commandLine.instanceID))
    writeSerial("\n")
    platform_halt()
}

/// The command line the platform found in the PVH start_info, without its NUL.
func commandLineBytes() -> [UInt8] {
    var bytes: [UInt8] = []
    var pointer = UnsafeRawPointer(platform_cmdline()).assumingMemoryBound(to: UInt8.self)
    while pointer.pointee != 0 {
        bytes.append(pointer.pointee)
        pointer += 1
    }
    return bytes
}

func writeSerial(_ text: StaticString) {
    serial_write(text.utf8Start, text.utf8CodeUnitCount)
}

func writeSerial(string: String) {
    for byte in string.utf8 { serial_putc(byte) }
}

extension GuestCommandLineError {
    /// Writes why the command line was refused, e.g. `bad value for ip`. Written piece by piece
    /// because Embedded Swift has no `String(describing:)`, and building a String costs code.
    func writeReason() {
        switch self {
        case .missingKey(let key):
            writeSerial("missing ")
            writeSerial(key.text)
        case .repeatedKey(let key):
            writeSerial("repeated ")
            writeSerial(key.text)
        case .badValue(let key):
            writeSerial("bad value for ")
            writeSerial(key.text)
        }
    }
}

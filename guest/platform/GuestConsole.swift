/// The serial console (COM1): what the guest prints for people and for the host's watcher.
enum GuestConsole {
    static func write(_ text: StaticString) {
        serial_write(text.utf8Start, text.utf8CodeUnitCount)
    }

    static func write(bytes: [UInt8]) {
        for byte in bytes { serial_putc(byte) }
    }

    static func write(string: String) {
        for byte in string.utf8 { serial_putc(byte) }
    }

    static func write(decimal value: UInt64) { write(bytes: decimalBytes(value)) }

    static func write(hex value: UInt64) {
        let digits: StaticString = "0123456789abcdef"
        write("0x")
        var shift: UInt64 = 60
        var started = false
        while true {
            let digit = Int((value >> shift) & 15)
            if digit != 0 || started || shift == 0 {
                started = true
                serial_putc(digits.utf8Start[digit])
            }
            if shift == 0 { break }
            shift -= 4
        }
    }

    /// Prints `FAILED <what>` and stops the guest: the host's watcher then times out the boot.
    static func fail(_ what: StaticString) -> Never {
        write("FAILED ")
        write(what)
        write("\n")
        platform_halt()
    }
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

extension GuestCommandLineError {
    /// Writes why the command line was refused, e.g. `bad value for ip`.
    func writeReason() {
        switch self {
        case .missingKey(let key):
            GuestConsole.write("missing ")
            GuestConsole.write(key.text)
        case .repeatedKey(let key):
            GuestConsole.write("repeated ")
            GuestConsole.write(key.text)
        case .badValue(let key):
            GuestConsole.write("bad value for ")
            GuestConsole.write(key.text)
        }
    }
}

/// Parses the command line or stops the guest with `FAILED command line: <reason>`.
func parseCommandLineOrFail() -> GuestCommandLine {
    do {
        return try GuestCommandLine(parsing: commandLineBytes())
    } catch {
        GuestConsole.write("FAILED command line: ")
        error.writeReason()
        GuestConsole.write("\n")
        platform_halt()
    }
}

/// Where a virtio-mmio device sits: its register window and interrupt line, as Linux's
/// `virtio_mmio.device=<size>@<base>:<irq>` kernel parameter names it (QEMU's microvm appends
/// one per device when ACPI is off, e.g. `virtio_mmio.device=512@0xfeb00e00:12`).
public struct VirtioMMIODeviceLocation: Equatable {
    public var base: UInt64
    public var size: UInt64
    /// The global system interrupt.
    public var interrupt: UInt32

    public init(base: UInt64, size: UInt64, interrupt: UInt32) {
        self.base = base
        self.size = size
        self.interrupt = interrupt
    }

    /// Every `virtio_mmio.device=` entry on a command line, in order; malformed ones are skipped.
    public static func all(inCommandLine bytes: [UInt8]) -> [VirtioMMIODeviceLocation] {
        var locations: [VirtioMMIODeviceLocation] = []
        for word in splitWords(bytes) {
            guard let equals = word.firstIndex(of: UInt8(ascii: "=")),
                equalsASCII(word[word.startIndex..<equals], "virtio_mmio.device"),
                let location = VirtioMMIODeviceLocation(parsing: word[(equals + 1)...])
            else { continue }
            locations.append(location)
        }
        return locations
    }

    /// Parses `<size>@<base>:<irq>`; size may carry a K or M suffix, numbers may be hex (0x).
    public init?(parsing text: ArraySlice<UInt8>) {
        guard let at = text.firstIndex(of: UInt8(ascii: "@")),
            let colon = text[at...].firstIndex(of: UInt8(ascii: ":")),
            let size = Self.number(text[text.startIndex..<at], suffixes: true),
            let base = Self.number(text[(at + 1)..<colon], suffixes: false),
            let interrupt = Self.number(text[(colon + 1)...], suffixes: false), interrupt <= UInt64(UInt32.max)
        else { return nil }
        self.init(base: base, size: size, interrupt: UInt32(interrupt))
    }

    static func number(_ text: ArraySlice<UInt8>, suffixes: Bool) -> UInt64? {
        var digits = text
        var multiplier: UInt64 = 1
        if suffixes, let last = digits.last {
            if last == UInt8(ascii: "K") || last == UInt8(ascii: "k") { multiplier = 1024 }
            if last == UInt8(ascii: "M") || last == UInt8(ascii: "m") { multiplier = 1024 * 1024 }
            if multiplier != 1 { digits = digits.dropLast() }
        }
        var radix: UInt64 = 10
        if digits.count > 2, digits.first == UInt8(ascii: "0"),
            digits[digits.startIndex + 1] == UInt8(ascii: "x") || digits[digits.startIndex + 1] == UInt8(ascii: "X")
        {
            radix = 16
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: digit = UInt64(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: digit = UInt64(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value &* radix &+ digit
        }
        return value &* multiplier
    }
}

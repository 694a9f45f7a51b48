/// Appends big-endian fields and compressed names to a message being built.
struct DNSWriter {
    /// Compression pointers have 14 bits of offset.
    static let maxPointerTarget = 0x3FFF

    /// Most name suffixes remembered as compression targets. Responses hold a handful of names,
    /// so a short list searched linearly beats hashing every suffix (it was the largest cost in
    /// the serving profile); past the cap, later names are compressed only against earlier ones.
    static let maxRemembered = 64

    private(set) var bytes: [UInt8] = []
    /// Name suffixes already written and their offsets, compared case-sensitively so that
    /// compression never changes the case of a name.
    private var remembered: [(wire: [UInt8], start: Int, offset: Int)] = []

    init(reservingCapacity capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        // A typical answer remembers about six suffixes: grow once, not at 1, 2 and 4.
        remembered.reserveCapacity(8)
    }

    var count: Int { bytes.count }

    mutating func writeUInt8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(truncatingIfNeeded: value >> 16))
        writeUInt16(UInt16(truncatingIfNeeded: value))
    }

    mutating func writeBytes(_ data: some Collection<UInt8>) {
        bytes += data
    }

    /// Overwrites two bytes already written, for a length known only afterwards.
    mutating func patchUInt16(_ value: UInt16, at offset: Int) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }

    /// Writes `body` preceded by its length as a 16-bit field, as RDLENGTH and EDNS options need.
    ///
    /// - Precondition: `body` writes at most 65535 bytes; more cannot be represented.
    mutating func writeWithUInt16Length(_ body: (inout DNSWriter) -> Void) {
        let lengthOffset = bytes.count
        writeUInt16(0)
        body(&self)
        let length = bytes.count - lengthOffset - 2
        precondition(length <= Int(UInt16.max), "DNSWriter: field of \(length) bytes exceeds 65535")
        patchUInt16(UInt16(length), at: lengthOffset)
    }

    /// Writes a name, replacing its longest suffix already in the message by a pointer
    /// (RFC 1035 section 4.1.4) when `compress` is true.
    ///
    /// Suffixes written here are remembered either way, so later names can point to them.
    mutating func writeName(_ name: DNSName, compress: Bool = true) {
        let wire = name.wire
        var start = 0
        while wire[start] != 0 {
            let known = offset(of: wire, from: start)
            if compress, let known {
                writeUInt16(0xC000 | UInt16(known))
                return
            }
            if known == nil, bytes.count <= Self.maxPointerTarget, remembered.count < Self.maxRemembered {
                remembered.append((wire, start, bytes.count))
            }
            let end = start + 1 + Int(wire[start])
            bytes.append(contentsOf: wire[start..<end])
            start = end
        }
        writeUInt8(0)
    }

    /// Where the suffix of `wire` from `start` was written before, if it is remembered. Wire
    /// forms are equal exactly when the label sequences are, case included.
    private func offset(of wire: [UInt8], from start: Int) -> Int? {
        let length = wire.count - start
        for entry in remembered where entry.wire.count - entry.start == length {
            var index = 0
            while index < length, entry.wire[entry.start + index] == wire[start + index] { index += 1 }
            if index == length { return entry.offset }
        }
        return nil
    }
}

/// Big-endian (network order) field access for packet views and builders.
///
/// Views hold an `ArraySlice<UInt8>` whose indices are those of the whole frame, so every read
/// adds the slice's `startIndex`; callers pass offsets relative to the start of their header.
extension ArraySlice where Element == UInt8 {
    /// The byte at `offset` from the start of this slice.
    @inline(__always)
    func byte(at offset: Int) -> UInt8 { self[startIndex + offset] }

    /// The big-endian 16-bit value at `offset` from the start of this slice.
    @inline(__always)
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) << 8 | UInt16(self[startIndex + offset + 1])
    }

    /// The big-endian 32-bit value at `offset` from the start of this slice.
    @inline(__always)
    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) << 16 | UInt32(uint16(at: offset + 2))
    }

    /// The bytes from `offset` to the end, keeping the frame's indices.
    func dropping(_ offset: Int) -> ArraySlice<UInt8> { self[(startIndex + offset)...] }
}

extension Array where Element == UInt8 {
    /// Writes `value` big-endian at `index`.
    @inline(__always)
    mutating func setUInt16(_ value: UInt16, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: value >> 8)
        self[index + 1] = UInt8(truncatingIfNeeded: value)
    }

    /// Writes `value` big-endian at `index`.
    @inline(__always)
    mutating func setUInt32(_ value: UInt32, at index: Int) {
        setUInt16(UInt16(truncatingIfNeeded: value >> 16), at: index)
        setUInt16(UInt16(truncatingIfNeeded: value), at: index + 2)
    }

    /// Appends `value` big-endian.
    @inline(__always)
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends `value` big-endian.
    @inline(__always)
    mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
        appendUInt16(UInt16(truncatingIfNeeded: value))
    }

    /// Appends `count` zero bytes, to be filled in later (checksums, lengths).
    @inline(__always)
    mutating func appendZeros(_ count: Int) {
        for _ in 0..<count { append(0) }
    }
}

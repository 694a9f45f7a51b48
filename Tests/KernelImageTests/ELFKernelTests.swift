import Testing

@testable import KernelImage

/// Builds a minimal ELF64 x86_64 file with one PT_NOTE segment holding `notes`.
func makeELF(notes: [UInt8], machine: UInt16 = 62) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 64 + 56)
    bytes[0...3] = [0x7F, 0x45, 0x4C, 0x46]
    bytes[4] = 2  // ELFCLASS64
    bytes[5] = 1  // little-endian
    put16(&bytes, 18, machine)
    put64(&bytes, 32, 64)  // e_phoff
    put16(&bytes, 54, 56)  // e_phentsize
    put16(&bytes, 56, 1)  // e_phnum
    put32(&bytes, 64, 4)  // PT_NOTE
    put64(&bytes, 64 + 8, UInt64(bytes.count))  // p_offset
    put64(&bytes, 64 + 32, UInt64(notes.count))  // p_filesz
    return bytes + notes
}

func note(name: String, type: UInt32, desc: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    let nameBytes = Array(name.utf8) + [0]
    bytes += le32(UInt32(nameBytes.count)) + le32(UInt32(desc.count)) + le32(type)
    bytes += nameBytes + [UInt8](repeating: 0, count: (4 - nameBytes.count % 4) % 4)
    bytes += desc + [UInt8](repeating: 0, count: (4 - desc.count % 4) % 4)
    return bytes
}

func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }
func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) { b[at] = UInt8(v & 0xFF); b[at + 1] = UInt8(v >> 8) }
func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) { for i in 0..<4 { b[at + i] = UInt8(truncatingIfNeeded: v >> (i * 8)) } }
func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: v >> (i * 8)) } }

@Suite("ELF and PVH validation")
struct ELFKernelTests {
    @Test func findsThePVHEntryAfterOtherNotes() throws {
        let notes = note(name: "GNU", type: 3, desc: [1, 2, 3, 4, 5]) + note(name: "Xen", type: 18, desc: le32(0x0010_0040))
        #expect(try ELFKernel.validate(makeELF(notes: notes)) == 0x0010_0040)
    }

    @Test func refusesAKernelWithoutPVHNote() {
        let notes = note(name: "Xen", type: 17, desc: le32(1)) + note(name: "Linux", type: 18, desc: le32(1))
        #expect(throws: ELFKernel.ValidationError.noPVHNote) { try ELFKernel.validate(makeELF(notes: notes)) }
    }

    @Test func refusesNonELFAndOtherMachines() {
        #expect(throws: ELFKernel.ValidationError.notELF) { try ELFKernel.validate(Array("#!/bin/sh\n".utf8)) }
        #expect(throws: ELFKernel.ValidationError.notELF) { try ELFKernel.validate([]) }
        let arm = makeELF(notes: note(name: "Xen", type: 18, desc: le32(1)), machine: 183)
        #expect(throws: ELFKernel.ValidationError.notX86_64ELF64) { try ELFKernel.validate(arm) }
    }

    @Test func refusesHeadersPointingPastTheEnd() {
        var elf = makeELF(notes: note(name: "Xen", type: 18, desc: le32(1)))
        put64(&elf, 64 + 32, 10_000)  // p_filesz past the end
        #expect(throws: ELFKernel.ValidationError.truncated) { try ELFKernel.validate(elf) }
        var badPhoff = elf
        put64(&badPhoff, 32, 1 << 40)
        #expect(throws: ELFKernel.ValidationError.truncated) { try ELFKernel.validate(badPhoff) }
    }

    @Test func hugeOffsetsAreRefusedNotTrapped() {
        var elf = makeELF(notes: note(name: "Xen", type: 18, desc: le32(1)))
        put64(&elf, 32, UInt64.max)  // e_phoff beyond Int
        #expect(throws: ELFKernel.ValidationError.truncated) { try ELFKernel.validate(elf) }
        var offset = makeELF(notes: note(name: "Xen", type: 18, desc: le32(1)))
        put64(&offset, 64 + 8, UInt64.max - 3)  // p_offset that would overflow offset + size
        #expect(throws: ELFKernel.ValidationError.truncated) { try ELFKernel.validate(offset) }
        var size = makeELF(notes: note(name: "Xen", type: 18, desc: le32(1)))
        put64(&size, 64 + 32, UInt64(Int.max))
        #expect(throws: ELFKernel.ValidationError.truncated) { try ELFKernel.validate(size) }
    }

    @Test func survivesEveryTruncationOfAValidKernel() {
        let elf = makeELF(notes: note(name: "Xen", type: 18, desc: le32(0x100000)))
        for length in 0..<elf.count {
            #expect(throws: ELFKernel.ValidationError.self) { try ELFKernel.validate(Array(elf.prefix(length))) }
        }
    }
}

@Suite("SHA-256 through libcrypto")
struct SHA256DigestTests {
    @Test func knownVectors() {
        // FIPS 180-2 test vectors.
        #expect(SHA256Digest.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

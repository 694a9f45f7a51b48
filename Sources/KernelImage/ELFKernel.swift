/// Checks that bytes are an x86_64 ELF kernel that QEMU can boot through the PVH entry point.
/// Pure: works on bytes already read.
public enum ELFKernel {
    /// The note type of `XEN_ELFNOTE_PHYS32_ENTRY`, which marks a PVH entry point.
    static let pvhNoteType: UInt32 = 18

    /// Why a file is not a bootable kernel. Each case's text is the message an operator reads.
    public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
        case notELF
        case notX86_64ELF64
        case truncated
        case noPVHNote

        public var description: String {
            switch self {
            case .notELF: return "it is not an ELF file"
            case .notX86_64ELF64: return "it is not a 64-bit little-endian x86_64 ELF file"
            case .truncated: return "its ELF headers point past the end of the file"
            case .noPVHNote: return "it has no Xen PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY), so QEMU cannot boot it"
            }
        }
    }

    /// What validation learns about a kernel.
    public struct Facts: Equatable, Sendable {
        /// The 32-bit PVH entry address.
        public var entry: UInt32
        /// The end of the highest loadable segment in guest-physical memory (bss included).
        public var loadEnd: UInt64
    }

    /// Returns the 32-bit PVH entry address, or throws why the kernel is unusable.
    @discardableResult
    public static func validate(_ bytes: [UInt8]) throws(ValidationError) -> UInt32 {
        try inspect(bytes).entry
    }

    /// Validates the kernel and reads its entry point and memory extent. Every offset and size
    /// read from the file is checked before use, so a hostile file cannot trap the daemon.
    public static func inspect(_ bytes: [UInt8]) throws(ValidationError) -> Facts {
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46
        else { throw .notELF }
        // ELFCLASS64, little-endian, machine EM_X86_64 (62).
        guard bytes[4] == 2, bytes[5] == 1, read16(bytes, 18) == 62 else { throw .notX86_64ELF64 }
        let phentsize = Int(read16(bytes, 54))
        let phnum = Int(read16(bytes, 56))
        guard let phoff = Int(exactly: read64(bytes, 32)), phentsize >= 56,
            phoff <= bytes.count, phnum * phentsize <= bytes.count - phoff
        else { throw .truncated }
        var entry: UInt32?
        var loadEnd: UInt64 = 0
        for index in 0..<phnum {
            let header = phoff + index * phentsize
            switch read32(bytes, header) {
            case 1:  // PT_LOAD
                let (end, overflow) = read64(bytes, header + 24).addingReportingOverflow(read64(bytes, header + 40))
                guard !overflow else { throw .truncated }
                loadEnd = max(loadEnd, end)
            case 4:  // PT_NOTE
                guard let offset = Int(exactly: read64(bytes, header + 8)), let size = Int(exactly: read64(bytes, header + 32)),
                    offset <= bytes.count, size <= bytes.count - offset
                else { throw .truncated }
                if entry == nil { entry = findPVHEntry(bytes, from: offset, to: offset + size) }
            default:
                continue
            }
        }
        guard let entry else { throw .noPVHNote }
        return Facts(entry: entry, loadEnd: loadEnd)
    }

    /// Walks the notes in `[start, end)` for name "Xen" type 18.
    static func findPVHEntry(_ bytes: [UInt8], from start: Int, to end: Int) -> UInt32? {
        var cursor = start
        while cursor + 12 <= end {
            let nameSize = Int(read32(bytes, cursor))
            let descSize = Int(read32(bytes, cursor + 4))
            let type = read32(bytes, cursor + 8)
            let nameStart = cursor + 12
            let descStart = nameStart + align4(nameSize)
            let next = descStart + align4(descSize)
            guard next <= end else { return nil }
            let name = bytes[nameStart..<nameStart + nameSize].prefix { $0 != 0 }
            if type == pvhNoteType, Array(name) == Array("Xen".utf8), descSize >= 4 {
                return read32(bytes, descStart)
            }
            cursor = next
        }
        return nil
    }

    static func align4(_ n: Int) -> Int { (n + 3) & ~3 }

    static func read16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }

    static func read32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static func read64(_ b: [UInt8], _ at: Int) -> UInt64 {
        UInt64(read32(b, at)) | UInt64(read32(b, at + 4)) << 32
    }
}

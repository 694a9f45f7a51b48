#if canImport(Glibc)
    import Glibc
#endif

/// How QEMU runs the guest's instructions.
public enum Accelerator: String, Sendable, Codable, CaseIterable {
    /// Hardware virtualisation (VT-x / AMD-V) through /dev/kvm: `<domain type='kvm'>`.
    case kvm
    /// QEMU's software emulator: `<domain type='qemu'>`. On nested kvm_pvm hosts it is faster.
    case tcg

    /// The value of the domain XML's `type` attribute.
    public var domainType: String { self == .kvm ? "kvm" : "qemu" }
}

/// The accelerator a configuration asks for.
public enum AcceleratorChoice: String, Sendable, Codable, CaseIterable {
    /// Detect: hardware KVM when the CPU shows vmx/svm and /dev/kvm opens, otherwise TCG.
    case auto
    case kvm
    case tcg
}

/// Decides the accelerator from host facts; the facts are gathered separately so this is testable.
public enum AcceleratorDetector {
    /// Pure decision: hardware KVM only when the CPU advertises vmx or svm *and* /dev/kvm opens.
    ///
    /// A /dev/kvm that opens without those flags is a paravirtual or nested one (kvm_pvm here),
    /// which emulates ring-0 code slowly and cannot run SSE: TCG is the safer default there.
    public static func decide(choice: AcceleratorChoice, cpuinfo: String, kvmDeviceOpens: Bool)
        -> Accelerator
    {
        switch choice {
        case .kvm: return .kvm
        case .tcg: return .tcg
        case .auto: return hasHardwareVirtualization(cpuinfo: cpuinfo) && kvmDeviceOpens ? .kvm : .tcg
        }
    }

    /// True when a `flags` line of /proc/cpuinfo lists `vmx` or `svm`.
    public static func hasHardwareVirtualization(cpuinfo: String) -> Bool {
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.contains("vmx") || words.contains("svm") { return true }
        }
        return false
    }

    /// Reads /proc/cpuinfo and tries to open /dev/kvm on this host.
    public static func detect(choice: AcceleratorChoice) -> Accelerator {
        if choice != .auto { return decide(choice: choice, cpuinfo: "", kvmDeviceOpens: false) }
        let cpuinfo = (try? String(contentsOfFileAtPath: "/proc/cpuinfo")) ?? ""
        let fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)
        if fd >= 0 { close(fd) }
        return decide(choice: choice, cpuinfo: cpuinfo, kvmDeviceOpens: fd >= 0)
    }
}

extension String {
    /// Reads a whole (small) file as UTF-8 without Foundation.
    init(contentsOfFileAtPath path: String) throws {
        guard let file = fopen(path, "r") else { throw POSIXFileError(path: path, code: errno) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}

/// A file could not be read.
struct POSIXFileError: Error {
    var path: String
    var code: Int32
}

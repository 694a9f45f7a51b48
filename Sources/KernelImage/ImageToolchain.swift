import Foundation

/// Finds the Swift toolchain's `bin` directory (it also holds clang and ld.lld).
public enum ImageToolchain {
    /// `$SWIFT_TOOLCHAIN_BIN`, else the directory of the `swiftc` on PATH, else /opt/swift/usr/bin.
    public static func defaultBin() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let bin = environment["SWIFT_TOOLCHAIN_BIN"], !bin.isEmpty { return bin }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/swiftc"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return URL(fileURLWithPath: candidate).resolvingSymlinksInPath().deletingLastPathComponent().path
            }
        }
        return "/opt/swift/usr/bin"
    }
}

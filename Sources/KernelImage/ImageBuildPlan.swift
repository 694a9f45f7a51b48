/// The commands that turn GuestStack plus one app into a bootable PVH ELF kernel. Pure: it only
/// computes command lines, so tests can check the flags (no floating point, no red zone) without
/// running a compiler.
public struct ImageBuildPlan: Sendable, Equatable {
    /// One tool invocation.
    public struct Step: Sendable, Equatable {
        public var tool: String
        public var arguments: [String]
    }

    public var app: String
    public var steps: [Step]
    /// The ELF file the last step writes.
    public var output: String

    /// Where the inputs live in a checkout.
    public struct Layout: Sendable, Equatable {
        /// Repository root.
        public var root: String
        /// Toolchain `bin` directory holding swiftc, clang and ld.lld.
        public var toolchainBin: String
        /// Where objects and images go (`.build/images`).
        public var outputDirectory: String

        public init(root: String, toolchainBin: String, outputDirectory: String) {
            self.root = root
            self.toolchainBin = toolchainBin
            self.outputDirectory = outputDirectory
        }

        var platform: String { "\(root)/guest/platform" }
        var embeddedLibraries: String { "\(toolchainBin)/../lib/swift/embedded/x86_64-unknown-none-elf" }
    }

    /// Target and code-generation flags shared by C and Swift. No SSE, x87 or MMX: the guest must
    /// run under kvm_pvm, which cannot execute them; no red zone: interrupts would clobber it.
    static let target = "x86_64-unknown-none-elf"
    static let codegenFlags = ["-ffreestanding", "-mno-red-zone", "-mno-sse", "-mno-sse2", "-mno-mmx", "-fno-pic"]

    /// The platform files every image links when the builder names none: the boot stub and the C runtime.
    public static let defaultPlatformSources = ["boot.S", "runtime.c"]

    /// The plan for `app`, whose Swift sources are `swiftSources` (GuestStack's portable files
    /// plus `guest/apps/<app>/*.swift`) and whose platform is `platformSources` (file names of
    /// `.S` and `.c` files in `guest/platform`, each compiled to its own object).
    public init(app: String, swiftSources: [String], layout: Layout, platformSources: [String] = defaultPlatformSources) {
        self.app = app
        let objects = "\(layout.outputDirectory)/obj/\(app)"
        let clang = "\(layout.toolchainBin)/clang"
        let cFlags = ["-target", Self.target] + Self.codegenFlags + ["-fno-stack-protector", "-mcmodel=small", "-O2", "-Wall", "-c"]
        let platformObjects = platformSources.map { "\(objects)/\($0).o" }
        let platform = zip(platformSources, platformObjects).map { source, object in
            Step(tool: clang, arguments: cFlags + ["\(layout.platform)/\(source)", "-o", object])
        }
        var swiftFlags = [
            "-target", Self.target, "-enable-experimental-feature", "Embedded", "-wmo", "-Osize", "-parse-as-library",
            "-module-name", "Guest", "-import-objc-header", "\(layout.platform)/platform.h",
            "-Xfrontend", "-disable-stack-protector",
            // One section per function so `--gc-sections` drops unused code (String's Unicode
            // tables among it); no incremental codegen, which can keep a stale object when only
            // codegen flags change.
            "-Xfrontend", "-function-sections", "-Xfrontend", "-disable-incremental-llvm-codegen",
        ]
        swiftFlags += Self.codegenFlags.flatMap { ["-Xcc", $0] }
        let swift = Step(
            tool: "\(layout.toolchainBin)/swiftc",
            arguments: swiftFlags + ["-c"] + swiftSources + ["-o", "\(objects)/app.o"])
        output = "\(layout.outputDirectory)/\(app).elf"
        let link = Step(
            tool: "\(layout.toolchainBin)/ld.lld",
            arguments: [
                "-T", "\(layout.platform)/linker.ld", "--gc-sections", "-nostdlib", "-static", "-o", output,
            ] + platformObjects + [
                "\(objects)/app.o",
                "\(layout.embeddedLibraries)/libswiftUnicodeDataTables.a",
            ])
        steps = platform + [swift, link]
    }

    /// The directory the object files go to.
    public var objectDirectory: String {
        let parts = output.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return parts.joined(separator: "/") + "/obj/\(app)"
    }
}

import Foundation

/// Builds guest images: runs an `ImageBuildPlan`, validates the ELF, and writes the manifest.
public struct ImageBuilder {
    public var layout: ImageBuildPlan.Layout

    public init(layout: ImageBuildPlan.Layout) { self.layout = layout }

    /// A build step failed; the text names the tool and shows its output.
    public struct BuildError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The apps that can be built: the folders under `guest/apps`.
    public func availableApps() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(layout.root)/guest/apps").sorted()
    }

    /// Builds one app into `<output>/<app>.elf` and `<output>/<app>.json`; returns the manifest.
    @discardableResult
    public func build(app: String) throws -> ImageManifest {
        let appDirectory = "\(layout.root)/guest/apps/\(app)"
        // GuestStack's portable code, the platform's guest-only Swift (MMIO, console, event loop), the app.
        let sources = try swiftFiles(in: "\(layout.root)/Sources/GuestStack") + swiftFiles(in: layout.platform)
            + swiftFiles(in: appDirectory)
        guard sources.contains(where: { $0.hasPrefix(appDirectory) }) else {
            throw BuildError(description: "guest app \(app) has no Swift sources in \(appDirectory)")
        }
        let platform = try FileManager.default.contentsOfDirectory(atPath: layout.platform)
            .filter { $0.hasSuffix(".c") || $0.hasSuffix(".S") }.sorted()
        let plan = ImageBuildPlan(app: app, swiftSources: sources, layout: layout, platformSources: platform)
        try FileManager.default.createDirectory(atPath: plan.objectDirectory, withIntermediateDirectories: true)
        for step in plan.steps { try run(step) }

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plan.output)))
        let facts: ELFKernel.Facts
        do {
            facts = try ELFKernel.inspect(bytes)
        } catch {
            throw BuildError(description: "built \(plan.output) but it cannot boot: \(error.description)")
        }
        let manifest = ImageManifest(
            name: app, sha256: SHA256Digest.hex(of: bytes), sizeBytes: bytes.count, gitCommit: gitCommit(),
            version: gitDescribe(), minMemoryMiB: ImageManifest.minimumMemoryMiB(loadEnd: facts.loadEnd))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(manifest) + Data("\n".utf8)).write(
            to: URL(fileURLWithPath: "\(layout.outputDirectory)/\(app).json"), options: .atomic)
        return manifest
    }

    /// The `.swift` files in `directory` and its subfolders, sorted by path.
    func swiftFiles(in directory: String) throws -> [String] {
        var files: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let path = "\(directory)/\(name)"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                files += try swiftFiles(in: path)
            } else if name.hasSuffix(".swift") {
                files.append(path)
            }
        }
        return files.sorted()
    }

    func run(_ step: ImageBuildPlan.Step) throws {
        let result = try ProcessRunner.run(step.tool, step.arguments)
        guard result.status == 0 else {
            let tool = URL(fileURLWithPath: step.tool).lastPathComponent
            throw BuildError(description: "\(tool) failed with status \(result.status):\n\(result.output)")
        }
    }

    /// `git describe --always --dirty`, or `unknown` outside git.
    func gitDescribe() -> String {
        guard let result = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", layout.root, "describe", "--always", "--dirty"]),
            result.status == 0
        else { return "unknown" }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The checkout's commit, with `-dirty` when the work tree has changes; `unknown` outside git.
    func gitCommit() -> String {
        guard let head = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", layout.root, "rev-parse", "HEAD"]),
            head.status == 0
        else { return "unknown" }
        let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try? ProcessRunner.run("/usr/bin/env", ["git", "-C", layout.root, "status", "--porcelain", "--untracked-files=no"])
        let dirty = status.map { $0.status == 0 && !$0.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
        return dirty ? commit + "-dirty" : commit
    }
}

/// Runs a command to completion, capturing stdout and stderr together.
enum ProcessRunner {
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

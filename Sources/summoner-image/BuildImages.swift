import ArgumentParser
import Foundation
import KernelImage

/// `summoner-image`: builds the guest kernels (`make images` calls it).
@main
struct BuildImages: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summoner-image",
        abstract: "Build unikernel images from GuestStack and guest/apps/<app>.")

    @Option(help: "Repository root.")
    var root: String = FileManager.default.currentDirectoryPath

    @Option(help: "Output directory for <app>.elf and <app>.json.")
    var output: String = ".build/images"

    @Option(help: "Directory holding swiftc, clang and ld.lld.")
    var toolchain: String = ImageToolchain.defaultBin()

    @Argument(help: "Apps to build (default: every folder in guest/apps).")
    var apps: [String] = []

    func run() throws {
        let outputPath = output.hasPrefix("/") ? output : "\(root)/\(output)"
        let builder = ImageBuilder(layout: .init(root: root, toolchainBin: toolchain, outputDirectory: outputPath))
        for app in apps.isEmpty ? try builder.availableApps() : apps {
            do {
                let manifest = try builder.build(app: app)
                print("built \(outputPath)/\(app).elf: \(manifest.sizeBytes) bytes, sha256 \(manifest.sha256)")
            } catch {
                FileHandle.standardError.write(Data("summoner-image: \(app): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

import Foundation
import KernelImage

@testable import Summoner

/// A temporary images directory holding a tiny valid PVH kernel named `hello`, and a config using it.
enum ImageFixture {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "summoner-test-images-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let kernel = tinyPVHKernel()
        _ = FileManager.default.createFile(atPath: "\(path)/hello.elf", contents: Data(kernel))
        let manifest = ImageManifest(name: "hello", sha256: SHA256Digest.hex(of: kernel), sizeBytes: kernel.count, gitCommit: "test")
        _ = FileManager.default.createFile(atPath: "\(path)/hello.json", contents: try? JSONEncoder().encode(manifest))
        return path
    }()

    /// Both services `hello` and `web`, with `pool` paused domains each.
    static func config(pool: Int = 0) throws -> SummonerConfig {
        try ConfigLoader.parse(
            text: """
                zone = "summon.test."
                [network]
                bridge = "sumbr0"
                gateway = "10.77.0.1"
                [paths]
                images = "\(directory)"
                state = "\(directory)/state"
                [services.hello]
                image = "hello"
                address = "10.77.0.10"
                ttl = 5
                idle_timeout = 10
                boot_timeout = 2
                pool = \(pool)
                [services.web]
                image = "hello"
                address = "10.77.0.11"
                pool = \(pool)
                """, file: "test.toml", baseDirectory: directory)
    }

    /// An ELF64 header, one PT_NOTE program header, and a Xen PVH note: enough for validation.
    static func tinyPVHKernel() -> [UInt8] {
        func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        var header = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1] + [UInt8](repeating: 0, count: 9)
        header += le(2, 2) + le(62, 2) + le(1, 4) + le(0x100000, 8) + le(64, 8) + le(0, 8) + le(0, 4)
        header += le(64, 2) + le(56, 2) + le(1, 2) + le(0, 2) + le(0, 2) + le(0, 2)
        let note = le(4, 4) + le(4, 4) + le(18, 4) + Array("Xen\0".utf8) + le(0x100000, 4)
        let program = le(4, 4) + le(4, 4) + le(120, 8) + le(0, 8) + le(0, 8) + le(UInt64(note.count), 8) + le(UInt64(note.count), 8) + le(4, 8)
        return header + program + note
    }
}

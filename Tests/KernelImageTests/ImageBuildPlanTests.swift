import Foundation
import Testing

@testable import KernelImage

@Suite("Image build plan")
struct ImageBuildPlanTests {
    let layout = ImageBuildPlan.Layout(root: "/repo", toolchainBin: "/tc/bin", outputDirectory: "/repo/.build/images")

    @Test func compilesAssemblyCAndSwiftThenLinksAtTheLinkerScript() {
        let plan = ImageBuildPlan(app: "hello", swiftSources: ["/repo/a.swift", "/repo/guest/apps/hello/main.swift"], layout: layout)
        #expect(plan.steps.map { URL(fileURLWithPath: $0.tool).lastPathComponent } == ["clang", "clang", "swiftc", "ld.lld"])
        #expect(plan.output == "/repo/.build/images/hello.elf")
        #expect(plan.objectDirectory == "/repo/.build/images/obj/hello")
        let link = plan.steps[3].arguments
        #expect(link.contains("/repo/guest/platform/linker.ld"))
        #expect(link.contains("--gc-sections"))
        let swift = plan.steps[2].arguments
        #expect(swift.contains("Embedded"))
        #expect(swift.suffix(4) == ["/repo/a.swift", "/repo/guest/apps/hello/main.swift", "-o", "/repo/.build/images/obj/hello/app.o"])
    }

    @Test func compilesEachPlatformSourceToItsOwnObjectAndLinksThemAll() {
        let plan = ImageBuildPlan(
            app: "echo", swiftSources: ["/x.swift"], layout: layout,
            platformSources: ["boot.S", "interrupts.c", "interrupt_stubs.S", "runtime.c"])
        #expect(plan.steps.count == 6)
        #expect(plan.steps[1].arguments.suffix(3) == [
            "/repo/guest/platform/interrupts.c", "-o", "/repo/.build/images/obj/echo/interrupts.c.o",
        ])
        let link = plan.steps[5].arguments
        for object in ["boot.S.o", "interrupts.c.o", "interrupt_stubs.S.o", "runtime.c.o", "app.o"] {
            #expect(link.contains("/repo/.build/images/obj/echo/\(object)"))
        }
    }

    @Test func everyCompilerStepForbidsFloatingPointAndTheRedZone() {
        let plan = ImageBuildPlan(app: "hello", swiftSources: ["/x.swift"], layout: layout)
        for step in plan.steps.prefix(3) {
            for flag in ["-mno-sse", "-mno-sse2", "-mno-mmx", "-mno-red-zone", "-ffreestanding"] {
                #expect(step.arguments.contains(flag), "\(step.tool) lacks \(flag)")
            }
            #expect(step.arguments.contains("x86_64-unknown-none-elf"))
        }
    }
}

@Suite("Image manifest")
struct ImageManifestTests {
    @Test func jsonUsesSnakeCaseKeysAndRoundTrips() throws {
        let manifest = ImageManifest(name: "hello", sha256: "ab", sizeBytes: 42, gitCommit: "c0ffee")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(manifest), as: UTF8.self)
        #expect(
            json
                == #"{"boot_protocol":"pvh","git_commit":"c0ffee","min_memory_mib":8,"name":"hello","sha256":"ab","size_bytes":42,"version":"unknown"}"#
        )
        #expect(try JSONDecoder().decode(ImageManifest.self, from: Data(json.utf8)) == manifest)
    }
}

@Suite("Image store verification")
struct ImageStoreTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "summoner-images-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ kernel: [UInt8], manifestDigest: String?, in directory: String) throws {
        try Data(kernel).write(to: URL(fileURLWithPath: "\(directory)/k.elf"))
        let manifest = ImageManifest(
            name: "k", sha256: manifestDigest ?? SHA256Digest.hex(of: kernel), sizeBytes: kernel.count, gitCommit: "x")
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: "\(directory)/k.json"))
    }

    @Test func acceptsAKernelMatchingItsManifest() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kernel = makeELF(notes: note(name: "Xen", type: 18, desc: le32(0x100000)))
        try write(kernel, manifestDigest: nil, in: directory)
        #expect(try ImageStore(directory: directory).verify(name: "k").sizeBytes == kernel.count)
    }

    @Test func refusesAKernelThatChangedSinceItsManifest() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kernel = makeELF(notes: note(name: "Xen", type: 18, desc: le32(0x100000)))
        try write(kernel, manifestDigest: String(repeating: "0", count: 64), in: directory)
        #expect {
            try ImageStore(directory: directory).verify(name: "k")
        } throws: { error in
            guard case ImageStore.ImageError.digestMismatch(let path, _, _) = error else { return false }
            return path == "\(directory)/k.elf" && "\(error)".contains("make images")
        }
    }

    @Test func refusesAServiceWithLessMemoryThanTheImageNeeds() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kernel = makeELF(notes: note(name: "Xen", type: 18, desc: le32(0x100000)))
        try write(kernel, manifestDigest: nil, in: directory)
        #expect(throws: ImageStore.ImageError.tooLittleMemory(image: "k", needs: 8, given: 6)) {
            try ImageStore(directory: directory).verify(name: "k", memoryMiB: 6)
        }
        #expect(try ImageStore(directory: directory).verify(name: "k", memoryMiB: 8).name == "k")
    }

    @Test func minimumMemoryIsTheLoadedExtentPlusWorkingRoom() {
        #expect(ImageManifest.minimumMemoryMiB(loadEnd: 0x100000 + 160_000) == 2 + ImageManifest.workingMemoryMiB)
        #expect(ImageManifest.minimumMemoryMiB(loadEnd: 0x200000) == 2 + ImageManifest.workingMemoryMiB)
    }

    @Test func namesTheMissingFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ImageStore.ImageError.missing(path: "\(directory)/nope.elf")) {
            try ImageStore(directory: directory).verify(name: "nope")
        }
    }
}

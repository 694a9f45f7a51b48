import Foundation

/// Finds and verifies kernel images in a directory laid out by `make images`:
/// `<directory>/<name>.elf` beside `<directory>/<name>.json`.
public struct ImageStore: Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// Why an image cannot be used. The text names the file and what to do.
    public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
        case missing(path: String)
        case unreadableManifest(path: String, reason: String)
        case digestMismatch(path: String, expected: String, actual: String)
        case invalidKernel(path: String, reason: String)
        case tooLittleMemory(image: String, needs: Int, given: Int)

        public var description: String {
            switch self {
            case .missing(let path):
                return "image file \(path) does not exist; build it with `make images`"
            case .unreadableManifest(let path, let reason):
                return "image manifest \(path) cannot be read: \(reason)"
            case .digestMismatch(let path, let expected, let actual):
                return "image \(path) has SHA-256 \(actual) but its manifest says \(expected); rebuild it with `make images`"
            case .invalidKernel(let path, let reason):
                return "image \(path) cannot boot: \(reason)"
            case .tooLittleMemory(let image, let needs, let given):
                return "image \(image) needs at least \(needs) MiB of memory but the service gives it \(given) MiB; raise memory_mib"
            }
        }
    }

    public func kernelPath(for name: String) -> String { "\(directory)/\(name).elf" }
    public func manifestPath(for name: String) -> String { "\(directory)/\(name).json" }

    /// Checks that the image exists, is a PVH kernel, matches its manifest's digest and, given
    /// `memoryMiB`, fits in that much memory. Returns the manifest.
    @discardableResult
    public func verify(name: String, memoryMiB: Int? = nil) throws(ImageError) -> ImageManifest {
        let kernel = kernelPath(for: name)
        let manifestFile = manifestPath(for: name)
        guard let bytes = FileManager.default.contents(atPath: kernel) else { throw .missing(path: kernel) }
        guard let manifestData = FileManager.default.contents(atPath: manifestFile) else {
            throw .missing(path: manifestFile)
        }
        let manifest: ImageManifest
        do {
            manifest = try JSONDecoder().decode(ImageManifest.self, from: manifestData)
        } catch {
            throw .unreadableManifest(path: manifestFile, reason: "\(error)")
        }
        let kernelBytes = [UInt8](bytes)
        do {
            try ELFKernel.validate(kernelBytes)
        } catch {
            throw .invalidKernel(path: kernel, reason: error.description)
        }
        let actual = SHA256Digest.hex(of: kernelBytes)
        guard actual == manifest.sha256 else {
            throw .digestMismatch(path: kernel, expected: manifest.sha256, actual: actual)
        }
        if let memoryMiB, memoryMiB < manifest.minMemoryMiB {
            throw .tooLittleMemory(image: name, needs: manifest.minMemoryMiB, given: memoryMiB)
        }
        return manifest
    }
}

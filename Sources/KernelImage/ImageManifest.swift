/// What `make images` records beside each kernel: `.build/images/<name>.json`.
public struct ImageManifest: Codable, Sendable, Equatable {
    /// The image (and app) name, for example `hello`.
    public var name: String
    /// Lowercase hex SHA-256 of the ELF file.
    public var sha256: String
    /// Size of the ELF file in bytes.
    public var sizeBytes: Int
    /// The git commit the image was built from (`unknown` outside a checkout), with `-dirty`
    /// appended when the work tree had changes.
    public var gitCommit: String
    /// Boot protocol of the image; always `pvh` for now.
    public var bootProtocol: String
    /// `git describe` of the source the image was built from (a tag, or the short commit).
    public var version: String
    /// The least guest memory the image runs in: its loaded extent plus room for the stack,
    /// the heap and the virtio rings (`ImageManifest.minimumMemoryMiB(loadEnd:)`).
    public var minMemoryMiB: Int

    public init(
        name: String, sha256: String, sizeBytes: Int, gitCommit: String, bootProtocol: String = "pvh",
        version: String = "unknown", minMemoryMiB: Int = 8
    ) {
        self.name = name
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.gitCommit = gitCommit
        self.bootProtocol = bootProtocol
        self.version = version
        self.minMemoryMiB = minMemoryMiB
    }

    /// Room the guest needs beyond its loaded image, in MiB.
    public static let workingMemoryMiB = 4

    /// The least memory for an image whose loadable segments end at `loadEnd`.
    public static func minimumMemoryMiB(loadEnd: UInt64) -> Int {
        Int((loadEnd + (1 << 20) - 1) >> 20) + workingMemoryMiB
    }

    enum CodingKeys: String, CodingKey {
        case name, sha256, version
        case sizeBytes = "size_bytes"
        case gitCommit = "git_commit"
        case bootProtocol = "boot_protocol"
        case minMemoryMiB = "min_memory_mib"
    }
}

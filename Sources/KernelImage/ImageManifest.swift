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

    public init(name: String, sha256: String, sizeBytes: Int, gitCommit: String, bootProtocol: String = "pvh") {
        self.name = name
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
        self.gitCommit = gitCommit
        self.bootProtocol = bootProtocol
    }

    enum CodingKeys: String, CodingKey {
        case name, sha256
        case sizeBytes = "size_bytes"
        case gitCommit = "git_commit"
        case bootProtocol = "boot_protocol"
    }
}

import CLibcrypto
import Foundation

/// SHA-256 through OpenSSL's libcrypto.
public enum SHA256Digest {
    /// The lowercase hex digest of `bytes`.
    public static func hex(of bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "libcrypto SHA-256 failed")
        return digest[0..<32].map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a file's contents.
    public static func hex(ofFileAt path: String) throws -> String {
        hex(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}

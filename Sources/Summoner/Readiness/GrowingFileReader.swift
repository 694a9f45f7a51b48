#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads what was appended to a file since the last call, such as a guest's serial log while
/// QEMU writes it.
///
/// Plain POSIX on purpose: Foundation's `FileManager.contents(atPath:)` leaks about 4 KiB on
/// every read of an empty file (swift-corelibs-foundation, Swift 6.3), and a log polled every
/// 2 ms is empty for most of a boot; that was summonerd's 12 KB-per-summon leak.
///
/// A file that does not exist yet is retried on the next call; one that was truncated is read
/// again from its start, and one replaced by a new file (another inode) is reopened.
final class GrowingFileReader {
    let path: String
    private var descriptor: Int32 = -1
    private var offset: Int = 0
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init(path: String) { self.path = path }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Bytes appended since the last call. `restarted` is true when the file was truncated or
    /// replaced since, so that what was read before no longer belongs to it.
    func readAppended() -> (bytes: [UInt8], restarted: Bool) {
        var restarted = false
        if descriptor >= 0, fileWasReplacedOrTruncated() {
            close(descriptor)
            descriptor = -1
            restarted = offset > 0
            offset = 0
        }
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return ([], restarted) }
        }
        var appended: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            if count <= 0 { break }
            appended.append(contentsOf: buffer[0..<count])
            offset += count
        }
        return (appended, restarted)
    }

    private func fileWasReplacedOrTruncated() -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0 else { return true }
        return opened.st_ino != named.st_ino || opened.st_dev != named.st_dev || Int(opened.st_size) < offset
    }
}

import Foundation
import Testing

@testable import Summoner

@Suite("sd_notify")
struct SystemdNotifierTests {
    @Test func withoutNotifySocketNothingIsSent() {
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"))
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]).notify("READY=1"))
    }

    @Test func sendsOneDatagramToThePathSocket() throws {
        let path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        let receiver = try DatagramReceiver(path: path)
        defer { receiver.close() }
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": path]).notify("READY=1\nSTATUS=serving"))
        #expect(receiver.receive() == "READY=1\nSTATUS=serving")
    }
}

/// A bound Unix datagram socket standing in for systemd.
struct DatagramReceiver {
    let fd: Int32
    let path: String

    struct SocketError: Error {}

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else { throw SocketError() }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    func close() {
        _ = Glibc.close(fd)
        unlink(path)
    }
}

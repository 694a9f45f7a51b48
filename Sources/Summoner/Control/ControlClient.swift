import Foundation

/// A blocking client for the control API, used by `summonerctl`.
public struct ControlClient: Sendable {
    public var socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    /// Why a request could not be completed; the text is what the CLI prints.
    public struct ClientError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Sends one request and waits for its response.
    public func send(_ request: ControlRequest) throws -> ControlResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "cannot create a socket: \(errnoText())") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ClientError(description: "socket path \(socketPath) is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in pathBytes.enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            throw ClientError(description: "cannot reach summonerd at \(socketPath): \(errnoText()); is the daemon running?")
        }
        var payload = try JSONEncoder().encode(request)
        payload.append(UInt8(ascii: "\n"))
        let written = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == payload.count else { throw ClientError(description: "cannot send the request: \(errnoText())") }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 { throw ClientError(description: "cannot read the response: \(errnoText())") }
            if n == 0 { break }
            received += chunk[0..<n]
        }
        do {
            return try JSONDecoder().decode(ControlResponse.self, from: Data(received))
        } catch {
            throw ClientError(description: "summonerd sent a response this summonerctl cannot read")
        }
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}

import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves the control API on a Unix socket. Each connection carries one JSON request line and
/// receives one JSON response line.
public struct ControlServer: Service {
    public var socketPath: String
    /// Unix group given the socket; nil keeps the daemon's group.
    public var socketGroup: String?
    public var handler: any ControlRequestHandler
    public var group: any EventLoopGroup
    public var logger: Logger

    public init(
        socketPath: String, socketGroup: String? = nil, handler: any ControlRequestHandler, group: any EventLoopGroup,
        logger: Logger
    ) {
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.handler = handler
        self.group = group
        self.logger = logger
    }

    /// Binds the socket (replacing a stale one) with mode 0660, and serves until graceful shutdown.
    public func run() async throws {
        let channel = try await bind()
        logger.info("control API listening", metadata: ["socket": "\(socketPath)"])
        try? await gracefulShutdown()
        try? await channel.close()
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    func bind() async throws -> any Channel {
        let directory = URL(fileURLWithPath: socketPath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: socketPath)
        let handler = self.handler
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ControlConnectionHandler(handler: handler))
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true).get()
        chmod(socketPath, 0o660)
        if let socketGroup, let entry = getgrnam(socketGroup), chown(socketPath, uid_t.max, entry.pointee.gr_gid) != 0 {
            logger.warning("cannot give the control socket to group \(socketGroup): \(String(cString: strerror(errno)))")
        }
        return channel
    }
}

/// Reads one request line (at most 64 KiB), answers it and closes the connection.
final class ControlConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    // SAFETY: all state is touched only on the channel's event loop.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: any ControlRequestHandler
    private var buffer: [UInt8] = []
    private var answered = false

    init(handler: any ControlRequestHandler) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        if buffer.count > 65536 {
            respond(context: context, .failure("request too large"))
        } else if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(buffer[..<newline])
            guard let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) else {
                respond(context: context, .failure("the request is not a valid control API JSON object"))
                return
            }
            guard request.version == ControlAPI.version else {
                respond(context: context, .failure("control API version \(request.version) is not supported; this daemon speaks version \(ControlAPI.version)"))
                return
            }
            answered = true
            let handler = self.handler
            let loop = context.eventLoop
            let box = NIOLoopBound(context, eventLoop: loop)
            Task {
                let response = await handler.handle(request)
                loop.execute { self.respond(context: box.value, response) }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, _ response: ControlResponse) {
        answered = true
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = (try? encoder.encode(response)) ?? Data("{\"ok\":false}".utf8)
        data.append(UInt8(ascii: "\n"))
        let out = context.channel.allocator.buffer(bytes: data)
        context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in context.close(promise: nil) }
    }
}

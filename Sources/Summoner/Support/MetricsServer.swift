import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Serves `GET /metrics` in the Prometheus text format on the `[metrics] listen` address.
public struct MetricsServer: Service {
    public var host: String
    public var port: Int
    /// Produces the exposition for one scrape (refreshing gauges first).
    public var scrape: @Sendable () async -> [UInt8]
    public var group: any EventLoopGroup
    public var logger: Logger

    public init(host: String, port: Int, group: any EventLoopGroup, logger: Logger, scrape: @escaping @Sendable () async -> [UInt8]) {
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
        self.scrape = scrape
    }

    public func run() async throws {
        let scrape = self.scrape
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(scrape: scrape))
                }
            }
            .bind(host: host, port: port).get()
        logger.info("metrics listening", metadata: ["address": "\(host):\(port)", "path": "/metrics"])
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// Answers one HTTP request at a time: /metrics with the exposition, anything else 404.
final class MetricsHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    // SAFETY: `path` is only touched on the channel's event loop.
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let scrape: @Sendable () async -> [UInt8]
    private var head: HTTPRequestHead?

    init(scrape: @escaping @Sendable () async -> [UInt8]) { self.scrape = scrape }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let keepAlive = head.isKeepAlive
            let box = NIOLoopBound(context, eventLoop: context.eventLoop)
            guard head.method == .GET, head.uri == "/metrics" || head.uri.hasPrefix("/metrics?") else {
                respond(box.value, status: .notFound, body: Array("not found; try /metrics\n".utf8), keepAlive: keepAlive)
                return
            }
            let scrape = self.scrape
            let loop = context.eventLoop
            Task {
                let body = await scrape()
                loop.execute { self.respond(box.value, status: .ok, body: body, keepAlive: keepAlive) }
            }
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: [UInt8], keepAlive: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: status == .ok ? "text/plain; version=0.0.4" : "text/plain")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}

/// An HTTP/1.1 response to serialise: status, content type, body.
public struct HTTPResponse {
    public var status: Int
    public var contentType: StaticString
    public var body: [UInt8]
    /// Extra header lines, each ending in CR LF (e.g. `Allow: GET, HEAD\r\n`).
    public var extraHeaders: [UInt8] = []

    public init(status: Int, contentType: StaticString = "text/plain; charset=utf-8", body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A short plain-text response whose body is the reason phrase.
    public static func plain(_ status: Int) -> HTTPResponse {
        var body = bytes(of: reasonPhrase(status))
        body.append(10)
        return HTTPResponse(status: status, body: body)
    }

    /// The bytes on the wire; `includeBody` is false for HEAD.
    public func serialized(keepAlive: Bool, includeBody: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + body.count)
        out += bytes(of: "HTTP/1.1 ")
        out += decimalBytes(UInt64(status))
        out.append(32)
        out += Self.bytes(of: Self.reasonPhrase(status))
        out += bytes(of: "\r\nServer: summoner-guest\r\nContent-Type: ")
        out += bytes(of: contentType)
        out += bytes(of: "\r\nContent-Length: ")
        out += decimalBytes(UInt64(body.count))
        out += bytes(of: keepAlive ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n")
        out += extraHeaders
        out += bytes(of: "\r\n")
        if includeBody { out += body }
        return out
    }

    func bytes(of text: StaticString) -> [UInt8] { Self.bytes(of: text) }

    static func bytes(of text: StaticString) -> [UInt8] {
        Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func reasonPhrase(_ status: Int) -> StaticString {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 431: return "Request Header Fields Too Large"
        case 501: return "Not Implemented"
        case 505: return "HTTP Version Not Supported"
        default: return "Unknown"
        }
    }
}

/// What answers requests: the application's routes.
public protocol HTTPResponder {
    func respond(to request: HTTPRequest) -> HTTPResponse
}

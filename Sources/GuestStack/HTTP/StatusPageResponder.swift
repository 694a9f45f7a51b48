/// The routes a summoned guest serves: `GET /` is a small HTML page naming the instance and
/// its boot time, `GET /healthz` is 200 `ok`; HEAD works on both; other paths are 404 and other
/// methods 405.
public struct StatusPageResponder: HTTPResponder {
    public var instanceID: [UInt8]
    /// Guest time from the first instruction to serving, in microseconds.
    public var bootMicroseconds: UInt64

    public init(instanceID: [UInt8], bootMicroseconds: UInt64) {
        self.instanceID = instanceID
        self.bootMicroseconds = bootMicroseconds
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.methodIs("GET") || request.methodIs("HEAD") else {
            var response = HTTPResponse.plain(405)
            response.extraHeaders = HTTPResponse.bytes(of: "Allow: GET, HEAD\r\n")
            return response
        }
        if request.pathIs("/healthz") { return HTTPResponse(status: 200, body: Array("ok\n".utf8)) }
        guard request.pathIs("/") else { return .plain(404) }
        var page = HTTPResponse.bytes(of: "<!doctype html>\n<html><head><title>")
        page += instanceID  // [A-Za-z0-9._-] only (GuestCommandLine checks), so no escaping is needed
        page += HTTPResponse.bytes(of: "</title></head>\n<body><h1>Hello from ")
        page += instanceID
        page += HTTPResponse.bytes(of: "</h1>\n<p>Booted in <span id=\"boot-us\">")
        page += decimalBytes(bootMicroseconds)
        page += HTTPResponse.bytes(of: "</span> &micro;s of guest time, from the first instruction to serving.</p>\n</body></html>\n")
        return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: page)
    }
}

import Testing

@testable import GuestStack

/// The hello app's HTTP server on the guest stack, driven by hand-made TCP segments.
struct HTTPScript {
    var tcp = TCPScript(listen: false)
    var server = HTTPServer(port: 80, responder: StatusPageResponder(instanceID: Array("hello-1".utf8), bootMicroseconds: 812))

    init() { server.start(stack: &tcp.harness.stack) }

    /// Sends bytes on the connection, lets the server run, returns the response bytes.
    mutating func request(_ text: String) -> (bytes: String, flags: [TCPSegment.Flags]) {
        var server = self.server
        let sent = tcp.send(Array(text.utf8)) { stack in server.serve(stack: &stack, now: 0) }
        self.server = server
        var bytes: [UInt8] = []
        for frame in sent { bytes += frame.tcp?.payload ?? [] }
        tcp.serverSequence &+= UInt32(bytes.count) + (sent.contains { $0.tcp?.flags.contains(.fin) == true } ? 1 : 0)
        return (String(decoding: bytes, as: UTF8.self), sent.compactMap { $0.tcp?.flags })
    }

    mutating func connect() { _ = tcp.connect(accept: false) }
}

@Suite("HTTP server: routes, keep-alive, errors")
struct HTTPServerTests {
    @Test func rootPageNamesTheInstanceAndItsBootTime() {
        var script = HTTPScript()
        script.connect()
        let (response, _) = script.request("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Content-Type: text/html; charset=utf-8\r\n"))
        #expect(response.contains("Connection: keep-alive\r\n"))
        #expect(response.contains("<h1>Hello from hello-1</h1>"))
        #expect(response.contains("<span id=\"boot-us\">812</span>"))
    }

    @Test func keepAliveServesPipelinedRequestsInOrder() {
        var script = HTTPScript()
        script.connect()
        let (response, flags) = script.request(
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        // Lines by bytes: Swift's String keeps CR LF together as one character.
        let statuses = Array(response.utf8).split(separator: 10).map { String(decoding: $0.filter { $0 != 13 }, as: UTF8.self) }
            .filter { $0.hasPrefix("HTTP/1.1") }
        #expect(statuses == ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"])
        #expect(!response.contains("<html>"))  // HEAD has no body
        #expect(!flags.contains { $0.contains(.fin) })
        #expect(script.request("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").bytes.hasSuffix("\r\n\r\nok\n"))
    }

    @Test func malformedRequestsGet400AndTheConnectionCloses() {
        var script = HTTPScript()
        script.connect()
        let (response, flags) = script.request("BLAH\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(flags.contains { $0.contains(.fin) })
    }

    @Test func otherMethodsGet405AndBodiesAreSkipped() {
        var script = HTTPScript()
        script.connect()
        let (response, _) = script.request(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(response.contains("Allow: GET, HEAD\r\n"))
        #expect(response.hasSuffix("ok\n"))
    }

    @Test func connectionCloseIsHonoured() {
        var script = HTTPScript()
        script.connect()
        let (response, flags) = script.request("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(response.contains("Connection: close\r\n"))
        #expect(flags.contains { $0.contains(.fin) })
    }

    @Test func randomInputNeverCrashesTheServer() {
        var script = HTTPScript()
        var random = DeterministicRandom(seed: 99)
        for round in 0..<300 {
            script.tcp.clientSequence = 9000
            _ = script.tcp.connect(port: UInt16(30_000 + round), accept: false)
            let count = Int(random.next() % 300)
            let junk = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = script.tcp.send(junk) { stack in script.server.serve(stack: &stack, now: 0) }
        }
        #expect(script.server.sessions.count <= 300)
    }
}

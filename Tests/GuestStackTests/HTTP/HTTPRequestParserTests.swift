import Testing

@testable import GuestStack

@Suite("HTTP/1.1 request heads (RFC 9112)")
struct HTTPRequestParserTests {
    func parse(_ text: String) -> HTTPRequestParser.Outcome { HTTPRequestParser.parse(Array(text.utf8)[...]) }

    @Test func aSimpleGet() {
        let head = "GET /healthz?probe=1 HTTP/1.1\r\nHost: 10.88.0.10\r\nUser-Agent: curl/7.88\r\n\r\n"
        guard case .request(let request, let length) = parse(head) else { Issue.record("not parsed"); return }
        #expect(length == head.utf8.count)
        #expect(request.methodIs("GET") && request.pathIs("/healthz"))
        #expect(request.keepAlive && request.minorVersion == 1 && request.contentLength == 0)
    }

    @Test func incompleteUntilTheBlankLine() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\n") == .incomplete)
        #expect(parse("") == .incomplete)
    }

    @Test func connectionHeaderAndVersionDecideKeepAlive() {
        guard case .request(let close, _) = parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Close\r\n\r\n"),
            case .request(let old, _) = parse("GET / HTTP/1.0\r\n\r\n"),
            case .request(let oldKept, _) = parse("GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n")
        else { Issue.record("not parsed"); return }
        #expect(!close.keepAlive)
        #expect(!old.keepAlive)
        #expect(oldKept.keepAlive)
    }

    @Test func bareLineFeedsAreAccepted() {
        guard case .request(_, let length) = parse("GET / HTTP/1.1\nHost: a\n\nrest") else { Issue.record("not parsed"); return }
        #expect(length == 24)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", HTTPRequestError.malformed),  // no Host in 1.1
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformed),
        ("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", .malformed),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformed),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", .malformed),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", .malformed),
        ("\r\n\r\n", .malformed),
    ])
    func refuses(head: String, error: HTTPRequestError) {
        #expect(parse(head) == .failure(error))
    }

    @Test func headsAreBounded() {
        let long = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "y", count: 9000)
        #expect(parse(long) == .failure(.headTooLarge))
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: 70) + "\r\n"
        #expect(parse(many) == .failure(.headTooLarge))
    }

    @Test func randomBytesNeverCrashAndNeverYieldAnInconsistentLength() {
        var random = DeterministicRandom(seed: 7)
        let alphabet = Array("GET /HTP1.\r\n: Hostcnl-0123456789\u{0}\u{7f}".utf8)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 200)
            let bytes = (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if case .request(_, let length) = HTTPRequestParser.parse(bytes[...]) { #expect(length <= bytes.count) }
        }
    }
}

/// A parsed HTTP/1.x request head (RFC 9112). The body, if any, is skipped by the server.
public struct HTTPRequest: Equatable {
    public var method: [UInt8]
    /// The request target as sent, e.g. `/healthz?x=1`.
    public var target: [UInt8]
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// The connection persists after the response (HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`).
    public var keepAlive: Bool
    /// The body length announced by Content-Length; 0 without one.
    public var contentLength: Int

    /// The target's path, without the query.
    public var path: ArraySlice<UInt8> {
        if let question = target.firstIndex(of: UInt8(ascii: "?")) { return target[..<question] }
        return target[...]
    }

    /// True when the method is `text` (methods are case-sensitive).
    public func methodIs(_ text: StaticString) -> Bool { equalsASCII(method[...], text) }

    /// True when the path is `text`.
    public func pathIs(_ text: StaticString) -> Bool { equalsASCII(path, text) }
}

/// Why a request head was refused; each maps to the status the server answers with.
public enum HTTPRequestError: Error, Equatable {
    /// Bad syntax: 400.
    case malformed
    /// A head longer than the server reads: 431.
    case headTooLarge
    /// An HTTP version other than 1.0 and 1.1: 505.
    case unsupportedVersion
    /// Transfer-Encoding, which this server does not decode: 501.
    case unsupportedTransferEncoding

    /// The status code to answer with.
    public var status: Int {
        switch self {
        case .malformed: return 400
        case .headTooLarge: return 431
        case .unsupportedVersion: return 505
        case .unsupportedTransferEncoding: return 501
        }
    }
}

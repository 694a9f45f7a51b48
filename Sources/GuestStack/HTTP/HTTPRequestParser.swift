/// Parses request heads from a connection's bytes, as they arrive. Strict where RFC 9112 asks
/// for it (no whitespace before a colon, no line folding, one Content-Length, Host in 1.1),
/// and bounded (an 8 KiB head, 64 fields), so no input can make it misbehave or grow.
public enum HTTPRequestParser {
    public static let maximumHeadLength = 8192
    public static let maximumFields = 64

    /// The outcome of looking at the start of `bytes`.
    public enum Outcome: Equatable {
        /// Not a whole head yet.
        case incomplete
        /// A request and the number of head bytes it used.
        case request(HTTPRequest, headLength: Int)
        case failure(HTTPRequestError)
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) -> Outcome {
        guard let headEnd = endOfHead(bytes) else {
            return bytes.count > maximumHeadLength ? .failure(.headTooLarge) : .incomplete
        }
        guard headEnd - bytes.startIndex <= maximumHeadLength else { return .failure(.headTooLarge) }
        let lines = splitLines(bytes[bytes.startIndex..<headEnd])
        guard let requestLine = lines.first, lines.count - 1 <= maximumFields else {
            return .failure(lines.isEmpty ? .malformed : .headTooLarge)
        }
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, isToken(parts[0]), isTarget(parts[1]) else { return .failure(.malformed) }
        let version = parts[2]
        guard version.count == 8, equalsASCII(version.prefix(5), "HTTP/"),
            let major = decimalDigit(version[version.startIndex + 5]), version[version.startIndex + 6] == UInt8(ascii: "."),
            let minor = decimalDigit(version[version.startIndex + 7])
        else { return .failure(.malformed) }
        guard major == 1, minor <= 1 else { return .failure(.unsupportedVersion) }

        var request = HTTPRequest(
            method: Array(parts[0]), target: Array(parts[1]), minorVersion: Int(minor), keepAlive: minor == 1, contentLength: 0)
        var sawHost = false
        var sawLength = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), isToken(line[line.startIndex..<colon]) else {
                return .failure(.malformed)  // also catches folding: a line starting with whitespace
            }
            let name = line[line.startIndex..<colon]
            let value = trimmed(line[(colon + 1)...])
            guard value.allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7f) }) else { return .failure(.malformed) }
            if equalsIgnoringCase(name, "host") {
                guard !sawHost else { return .failure(.malformed) }
                sawHost = true
            } else if equalsIgnoringCase(name, "content-length") {
                guard let length = parseDecimal(value, limit: 1 << 30), !sawLength || request.contentLength == Int(length) else {
                    return .failure(.malformed)
                }
                sawLength = true
                request.contentLength = Int(length)
            } else if equalsIgnoringCase(name, "transfer-encoding") {
                return .failure(.unsupportedTransferEncoding)
            } else if equalsIgnoringCase(name, "connection") {
                if containsToken(value, "close") { request.keepAlive = false }
                if containsToken(value, "keep-alive") && minor == 0 { request.keepAlive = true }
            }
        }
        guard sawHost || minor == 0 else { return .failure(.malformed) }
        return .request(request, headLength: headEnd - bytes.startIndex)
    }

    /// The index just past the blank line ending the head (CRLF CRLF, or bare LFs), or nil.
    static func endOfHead(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        let limit = min(bytes.endIndex, bytes.startIndex + maximumHeadLength + 4)
        while index < limit {
            if bytes[index] == 10 {
                if index + 1 < bytes.endIndex && bytes[index + 1] == 10 { return index + 2 }
                if index + 2 < bytes.endIndex && bytes[index + 1] == 13 && bytes[index + 2] == 10 { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// The head's lines without their CR LF, up to the blank line.
    static func splitLines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        for index in head.indices where head[index] == 10 {
            var end = index
            if end > start && head[end - 1] == 13 { end -= 1 }
            if end == start { break }
            lines.append(head[start..<end])
            start = index + 1
        }
        return lines
    }

    /// RFC 9110 token characters.
    static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes {
            let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
            let symbol = byte == 0x21 || (byte >= 0x23 && byte <= 0x27) || byte == 0x2a || byte == 0x2b || byte == 0x2d
                || byte == 0x2e || byte == 0x5e || byte == 0x5f || byte == 0x60 || byte == 0x7c || byte == 0x7e
            if !alphanumeric && !symbol { return false }
        }
        return true
    }

    /// A request target: visible ASCII, no spaces, at most 2 KiB.
    static func isTarget(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= 2048 && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7f }
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var value = bytes
        while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
        while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
        return value
    }

    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        var pointer = text.utf8Start
        for byte in bytes {
            let lower = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
            if lower != pointer.pointee { return false }
            pointer += 1
        }
        return true
    }

    /// True when the comma-separated list `value` holds `token` (case-insensitive).
    static func containsToken(_ value: ArraySlice<UInt8>, _ token: StaticString) -> Bool {
        for item in value.split(separator: UInt8(ascii: ",")) where equalsIgnoringCase(trimmed(item), token) { return true }
        return false
    }
}

/// Finds one exact line in a byte stream fed in pieces, such as a serial log read as it grows.
///
/// Only a complete (newline-terminated) line counts, ignoring a trailing CR: an unterminated
/// `READY hello-1` may still grow into `READY hello-12`. Memory stays bounded whatever the
/// stream: of the current line it keeps at most the expected length plus one byte.
struct ReadyLineScanner {
    private let expected: [UInt8]
    private var line: [UInt8] = []
    private var lineTooLong = false

    init(expected: String) {
        self.expected = Array(expected.utf8)
        line.reserveCapacity(self.expected.count + 1)
    }

    /// Feeds the next bytes; true once a complete line equal to the expected one has been seen.
    mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !lineTooLong && matches() { return true }
                line.removeAll(keepingCapacity: true)
                lineTooLong = false
            } else if line.count <= expected.count {
                line.append(byte)
            } else {
                lineTooLong = true
            }
        }
        return false
    }

    /// Forgets a partial line, for a stream that starts over (a truncated file).
    mutating func reset() {
        line.removeAll(keepingCapacity: true)
        lineTooLong = false
    }

    private func matches() -> Bool {
        if line.count == expected.count { return line == expected }
        return line.count == expected.count + 1 && line.last == UInt8(ascii: "\r") && line.dropLast().elementsEqual(expected)
    }
}

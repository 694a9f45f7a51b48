/// The datagram a guest sends to the host's `ready=` endpoint once its app listens:
/// `READY <instance-id> <boot-us>`, where boot-us is the guest's own count of microseconds from
/// its first instruction. The guest renders it and the host parses it, through this one type.
public struct ReadyAnnouncement: Equatable, Sendable {
    public var instanceID: String
    /// Microseconds from the guest's first instruction to readiness, as the guest measured it.
    public var bootMicroseconds: UInt64

    public init(instanceID: String, bootMicroseconds: UInt64) {
        self.instanceID = instanceID
        self.bootMicroseconds = bootMicroseconds
    }

    /// The datagram payload, without a newline; built without String formatting (cheap in the guest).
    public var bytes: [UInt8] {
        Array(ReadyLine.text(instanceID: instanceID).utf8) + [UInt8(ascii: " ")] + decimalBytes(bootMicroseconds)
    }

    /// The payload as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Parses a payload; a trailing newline is allowed. Nil for anything else.
    public init?(parsing bytes: [UInt8]) {
        var body = bytes
        if body.last == UInt8(ascii: "\n") { body.removeLast() }
        guard body.count <= 128 else { return nil }
        // Exactly one space between the words: anything looser is not what a guest sends.
        let words = body.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard words.count == 3, equalsASCII(words[0], "READY"),
            GuestCommandLine.isValidInstanceID(words[1]), !words[2].isEmpty, words[2].count <= 19
        else { return nil }
        var micros: UInt64 = 0
        for byte in words[2] {
            guard let digit = decimalDigit(byte) else { return nil }
            micros = micros * 10 + UInt64(digit)
        }
        self.init(instanceID: String(decoding: words[1], as: UTF8.self), bootMicroseconds: micros)
    }
}

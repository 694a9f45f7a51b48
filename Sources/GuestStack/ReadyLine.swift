/// How a guest says it is ready, in one place for both sides (like `GuestCommandLine`).
///
/// - Serial console: the line `READY <instance-id>` (what the host's serial watcher matches
///   exactly), then the line `BOOT-US <n>`.
/// - UDP to the command line's `ready=` endpoint: the datagram `READY <instance-id> <n>`, sent
///   three times a few milliseconds apart.
///
/// `<n>` is the guest's own time from its first instruction to serving, in microseconds.
public enum ReadyLine {
    /// The word that starts the line.
    public static let prefix = "READY "
    /// The word that starts the boot-time line on serial.
    public static let bootTimePrefix = "BOOT-US "

    /// The full line for an instance, without the newline.
    public static func text(instanceID: String) -> String { prefix + instanceID }

    /// The readiness datagram's payload: `READY <id> <boot-us>`.
    public static func datagram(instanceID: String, bootMicroseconds: UInt64) -> [UInt8] {
        Array(text(instanceID: instanceID).utf8) + [UInt8(ascii: " ")] + decimalBytes(bootMicroseconds)
    }

    /// Reads a readiness datagram; nil unless it is exactly `READY <valid-id> <decimal>`.
    public static func parseDatagram(_ bytes: [UInt8]) -> (instanceID: String, bootMicroseconds: UInt64)? {
        let words = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard words.count == 3, equalsASCII(words[0], "READY"), GuestCommandLine.isValidInstanceID(words[1]),
            !words[2].isEmpty, words[2].count <= 19, words[2].allSatisfy({ decimalDigit($0) != nil })
        else { return nil }
        var value: UInt64 = 0
        for byte in words[2] { value = value * 10 + UInt64(byte - UInt8(ascii: "0")) }
        return (String(decoding: words[1], as: UTF8.self), value)
    }
}

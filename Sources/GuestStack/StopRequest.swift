/// How the host asks a guest to stop (stop mode `shutdown`), in one place for both sides.
///
/// The host sends the datagram `STOP <instance-id>` from its `ready=` endpoint to the guest's
/// control port, `StopRequest.guestPort` (the port the guest's ready datagrams come from). The
/// guest accepts it only from that endpoint and only for its own id; it then prints
/// `STOPPING <id>` on serial, lets open TCP connections finish for at most `drainMicroseconds`,
/// prints `STOPPED <id>` and powers off, which ends the domain. Whatever else reaches the port is
/// ignored.
public enum StopRequest {
    /// The guest's UDP control port.
    public static let guestPort: UInt16 = 49152
    /// How long a stopping guest waits for its TCP connections to close.
    public static let drainMicroseconds: UInt64 = 500_000
    /// The word that starts the request.
    public static let word: StaticString = "STOP"

    /// The datagram asking `instanceID` to stop.
    public static func payload(instanceID: String) -> [UInt8] {
        var bytes: [UInt8] = []
        appendASCII(word, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes += Array(instanceID.utf8)
        return bytes
    }

    /// True when `payload` is exactly a stop request for `instanceID` (a trailing newline allowed).
    public static func matches(_ payload: [UInt8], instanceID: [UInt8]) -> Bool {
        var body = payload[...]
        if body.last == UInt8(ascii: "\n") { body.removeLast() }
        let prefixLength = word.utf8CodeUnitCount + 1
        guard body.count == prefixLength + instanceID.count, !instanceID.isEmpty else { return false }
        guard equalsASCII(body.prefix(word.utf8CodeUnitCount), word), body[body.startIndex + word.utf8CodeUnitCount] == UInt8(ascii: " ")
        else { return false }
        return body.suffix(instanceID.count).elementsEqual(instanceID)
    }
}

/// Appends the bytes of ASCII text (no String formatting: cheap in the guest).
func appendASCII(_ text: StaticString, to bytes: inout [UInt8]) {
    var pointer = text.utf8Start
    for _ in 0..<text.utf8CodeUnitCount {
        bytes.append(pointer.pointee)
        pointer += 1
    }
}

/// The connection states of RFC 9293 (section 3.3.2) a passive-open server goes through.
/// LISTEN belongs to the listener and SYN_SENT to active opens, which the stack does not make.
public enum TCPState: Equatable, Sendable {
    case synReceived
    case established
    case finWait1
    case finWait2
    case closing
    case timeWait
    case closeWait
    case lastAck
    case closed

    /// States in which the peer's data is still accepted.
    var receivesData: Bool { self == .established || self == .finWait1 || self == .finWait2 }

    /// States in which the application may still queue data to send.
    var acceptsApplicationData: Bool { self == .established || self == .closeWait || self == .synReceived }
}

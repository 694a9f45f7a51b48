/// How a guest says it is ready, in one place for both sides (like `GuestCommandLine`).
///
/// - Serial console: the line `READY <instance-id>` (what the host's serial watcher matches
///   exactly), then the line `BOOT-US <n>`.
/// - UDP to the command line's `ready=` endpoint: the datagram `READY <instance-id> <n>`
///   (`ReadyAnnouncement`), sent three times a few milliseconds apart.
///
/// `<n>` is the guest's own time from its first instruction to serving, in microseconds.
public enum ReadyLine {
    /// The word that starts the line.
    public static let prefix = "READY "
    /// The word that starts the boot-time line on serial.
    public static let bootTimePrefix = "BOOT-US "

    /// The full line for an instance, without the newline.
    public static func text(instanceID: String) -> String { prefix + instanceID }
}

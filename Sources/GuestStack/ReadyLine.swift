/// The line a guest prints on its serial console once it is ready: `READY <instance-id>`.
///
/// The host's readiness watcher looks for exactly this text, so both sides use this type.
public enum ReadyLine {
    /// The word that starts the line.
    public static let prefix = "READY "

    /// The full line for an instance, without the newline.
    public static func text(instanceID: String) -> String { prefix + instanceID }
}

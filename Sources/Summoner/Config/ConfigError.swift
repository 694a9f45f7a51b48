/// A configuration problem, located in its file. `description` is the one sentence an operator
/// reads: `summoner.toml:12: services.hello.address: "10.77.0" is not an IPv4 address`.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil when the problem is not on one line (a missing section).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

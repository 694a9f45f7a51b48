import ArgumentParser
import Summoner

/// A subcommand that is one control API request: its arguments become a typed `request`, and
/// the daemon's response becomes the text it prints. Both are pure, so tests check them whole.
protocol ControlCommand: ParsableCommand {
    var options: ConnectionOptions { get }
    /// The request these arguments stand for.
    var request: ControlRequest { get }
    /// What to print for a successful response (JSON when `--json` is given).
    func render(_ response: ControlResponse) throws -> String
}

extension ControlCommand {
    func run() throws {
        let response = try report { try options.send(request) }
        let text = try render(response)
        if !text.isEmpty { print(text, terminator: text.hasSuffix("\n") ? "" : "\n") }
    }
}

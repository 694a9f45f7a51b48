import ArgumentParser
import Summoner

struct Reload: ControlCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make summonerd re-read its configuration file (as SIGHUP does) and show what changed.")

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .reload) }

    func render(_ response: ControlResponse) throws -> String {
        let changes = response.reload ?? ReloadReport()
        if options.json { return try encodeJSON(changes) }
        let lines: [(String, [String])] = [
            ("added", changes.added), ("removed", changes.removed), ("rebuilt", changes.rebuilt),
            ("retuned", changes.retuned), ("needs a restart", changes.needsRestart),
        ]
        let changed = lines.filter { !$0.1.isEmpty }
        if changed.isEmpty { return "reloaded: nothing changed" }
        return changed.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: "\n")
    }
}

import ArgumentParser
import Summoner

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make summonerd re-read its configuration file (as SIGHUP does) and show what changed.")

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        let changes = try report { try options.send(ControlRequest(command: .reload)).reload ?? ReloadReport() }
        if options.json {
            print(try encodeJSON(changes))
            return
        }
        let lines: [(String, [String])] = [
            ("added", changes.added), ("removed", changes.removed), ("rebuilt", changes.rebuilt),
            ("retuned", changes.retuned), ("needs a restart", changes.needsRestart),
        ]
        let changed = lines.filter { !$0.1.isEmpty }
        if changed.isEmpty { print("reloaded: nothing changed") }
        for (label, names) in changed { print("\(label): \(names.joined(separator: ", "))") }
    }
}

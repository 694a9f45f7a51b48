import ArgumentParser
import Summoner

struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop a live instance now.")

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        _ = try report { try options.send(ControlRequest(command: .stop, target: target)) }
        if !options.json { print("stopping \(target)") }
    }
}

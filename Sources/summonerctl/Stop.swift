import ArgumentParser
import Summoner

struct Stop: ControlCommand {
    static let configuration = CommandConfiguration(abstract: "Stop a live instance now.")

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .stop, target: target) }

    func render(_ response: ControlResponse) throws -> String {
        options.json ? try encodeJSON(["stopping": target]) : "stopping \(target)"
    }
}

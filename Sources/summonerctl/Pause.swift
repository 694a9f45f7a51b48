import ArgumentParser
import Summoner

struct Pause: ControlCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suspend a ready instance in memory; a lookup or resume wakes it.")

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .pause, target: target) }

    func render(_ response: ControlResponse) throws -> String {
        options.json ? try encodeJSON(["pausing": target]) : "pausing \(target)"
    }
}

struct Resume: ControlCommand {
    static let configuration = CommandConfiguration(abstract: "Resume a suspended instance now.")

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .resume, target: target) }

    func render(_ response: ControlResponse) throws -> String {
        options.json ? try encodeJSON(["resuming": target]) : "resuming \(target)"
    }
}

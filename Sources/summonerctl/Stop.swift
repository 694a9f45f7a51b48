import ArgumentParser
import Summoner

/// A subcommand that sends one command about one instance and reports `<verb> <target>`.
protocol InstanceCommand: ControlCommand {
    var target: String { get }
    static var command: ControlRequest.Command { get }
    /// The word printed before the target: `stopping hello`.
    static var verb: String { get }
}

extension InstanceCommand {
    var request: ControlRequest { ControlRequest(command: Self.command, target: target) }

    func render(_ response: ControlResponse) throws -> String {
        options.json ? try encodeJSON([Self.verb: target]) : "\(Self.verb) \(target)"
    }
}

struct Stop: InstanceCommand {
    static let configuration = CommandConfiguration(abstract: "Stop a live instance now.")
    static let command = ControlRequest.Command.stop
    static let verb = "stopping"

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions
}

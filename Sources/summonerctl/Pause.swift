import ArgumentParser
import Summoner

struct Pause: InstanceCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suspend a ready instance in memory; a lookup or resume wakes it.")
    static let command = ControlRequest.Command.pause
    static let verb = "pausing"

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions
}

struct Resume: InstanceCommand {
    static let configuration = CommandConfiguration(abstract: "Resume a suspended instance now.")
    static let command = ControlRequest.Command.resume
    static let verb = "resuming"

    @Argument(help: "A service name or an instance id.")
    var target: String

    @OptionGroup var options: ConnectionOptions
}

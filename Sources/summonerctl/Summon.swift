import ArgumentParser
import Summoner

struct Summon: ControlCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summon a service as a DNS lookup would, and wait until it is ready.")

    @Argument(help: "A service name.")
    var service: String

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .summon, target: service) }

    func render(_ response: ControlResponse) throws -> String {
        let address = response.address ?? "?"
        return options.json ? try encodeJSON(["service": service, "address": address]) : "\(service) is ready at \(address)"
    }
}

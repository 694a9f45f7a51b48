import ArgumentParser
import Summoner

struct Summon: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summon a service as a DNS lookup would, and wait until it is ready.")

    @Argument(help: "A service name.")
    var service: String

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        let response = try report { try options.send(ControlRequest(command: .summon, target: service)) }
        if options.json {
            print(try encodeJSON(["service": service, "address": response.address ?? ""]))
        } else {
            print("\(service) is ready at \(response.address ?? "?")")
        }
    }
}

import ArgumentParser
import Summoner

/// `summonerctl`: the admin CLI, talking to summonerd's control socket.
@main
struct SummonerCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summonerctl",
        abstract: "Look after a running summonerd.",
        subcommands: [List.self, Status.self, Services.self, Summon.self, Stop.self, Pause.self, Resume.self, Reload.self])
}

/// Options every subcommand shares: where the daemon's socket is.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Control socket path (default: the one named in --config).")
    var socket: String?

    @Option(help: "summonerd's configuration file, read for the socket path.")
    var config: String = "/etc/summoner/summoner.toml"

    @Flag(help: "Print JSON for machines instead of a table.")
    var json = false

    func client() throws -> ControlClient {
        if let socket { return ControlClient(socketPath: socket) }
        do {
            return ControlClient(socketPath: try ConfigLoader.load(path: config).controlSocket)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Sends a request; a refused request becomes a one-sentence error and exit status 1.
    func send(_ request: ControlRequest) throws -> ControlResponse {
        let response: ControlResponse
        do {
            response = try client().send(request)
        } catch let error as ControlClient.ClientError {
            throw CLIError(error.description)
        }
        guard response.ok else { throw CLIError(response.error ?? "summonerd refused the request") }
        return response
    }
}

/// An error printed as `summonerctl: <sentence>` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

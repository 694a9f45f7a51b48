import ArgumentParser
import Foundation
import Summoner

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List live instances.")

    @Flag(help: "Include warm-pool domains (created paused, waiting for a lookup).")
    var all = false

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        let instances = try report { try options.send(ControlRequest(command: .list, all: all)).instances ?? [] }
        if options.json {
            print(try encodeJSON(instances))
        } else {
            print(InstanceTableFormatter.render(instances), terminator: "")
        }
    }
}

/// Runs `body`, printing a CLIError as one line on stderr with exit status 1.
func report<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("summonerctl: \(error.description)\n".utf8))
        throw ExitCode(1)
    }
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

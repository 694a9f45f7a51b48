import ArgumentParser
import Foundation
import Summoner

struct List: ControlCommand {
    static let configuration = CommandConfiguration(abstract: "List live instances.")

    @Flag(help: "Include warm-pool domains (created paused, waiting for a lookup).")
    var all = false

    @Flag(help: "Redraw the table every second until interrupted.")
    var watch = false

    @OptionGroup var options: ConnectionOptions

    func validate() throws {
        if watch && options.json { throw ValidationError("--watch draws a table; it cannot be combined with --json") }
    }

    var request: ControlRequest { ControlRequest(command: .list, all: all) }

    func render(_ response: ControlResponse) throws -> String {
        let instances = response.instances ?? []
        return options.json ? try encodeJSON(instances) : InstanceTableFormatter.render(instances)
    }

    func run() throws {
        repeat {
            let text = try render(try report { try options.send(request) })
            if watch {
                // Home the cursor and clear the screen, so the table is redrawn in place.
                print("\u{1B}[H\u{1B}[2J" + text, terminator: "")
                fflush(nil)
                usleep(1_000_000)
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        } while watch
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

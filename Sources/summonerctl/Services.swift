import ArgumentParser
import Summoner

struct Services: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the configured services.")

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        let services = try report { try options.send(ControlRequest(command: .services)).services ?? [] }
        if options.json {
            print(try encodeJSON(services))
            return
        }
        let rows = services.map { s in
            [
                s.name, s.image, s.address, "\(s.ttl)s", InstanceTableFormatter.duration(s.idleTimeoutSeconds),
                InstanceTableFormatter.duration(s.bootTimeoutSeconds), "\(s.pool)", "\(s.memoryMiB) MiB",
            ]
        }
        print(TextTable.render(header: ["SERVICE", "IMAGE", "ADDRESS", "TTL", "IDLE", "BOOT", "POOL", "MEMORY"], rows: rows), terminator: "")
    }
}

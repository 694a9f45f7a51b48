import ArgumentParser
import Summoner

struct Services: ControlCommand {
    static let configuration = CommandConfiguration(abstract: "List the configured services.")

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .services) }

    func render(_ response: ControlResponse) throws -> String {
        let services = response.services ?? []
        if options.json { return try encodeJSON(services) }
        let rows = services.map { s in
            [
                s.name, s.image, s.addresses.count > 1 ? "\(s.address) +\(s.addresses.count - 1)" : s.address, "\(s.ttl)s",
                InstanceTableFormatter.duration(s.idleTimeoutSeconds), InstanceTableFormatter.duration(s.bootTimeoutSeconds),
                s.pool == 0 ? "0" : "\(s.pool) \(s.poolState.rawValue)", "\(s.memoryMiB) MiB", s.stopMode.rawValue,
            ]
        }
        return TextTable.render(header: ["SERVICE", "IMAGE", "ADDRESS", "TTL", "IDLE", "BOOT", "POOL", "MEMORY", "IDLE STOP"], rows: rows)
    }
}

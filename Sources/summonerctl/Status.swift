import ArgumentParser
import Summoner

struct Status: ControlCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's state and counters.")

    @OptionGroup var options: ConnectionOptions

    var request: ControlRequest { ControlRequest(command: .status) }

    func render(_ response: ControlResponse) throws -> String {
        guard let status = response.status else { return "" }
        if options.json { return try encodeJSON(status) }
        return """
            zone            \(status.zone)
            accelerator     \(status.accelerator)
            libvirt         \(status.libvirtURI) (\(status.libvirtConnected ? "connected" : "disconnected, reconnecting"))
            services        \(status.services.joined(separator: ", "))
            live instances  \(status.liveInstances)
            pooled          \(status.pooledInstances)
            summons         \(status.boots) (\(status.poolResumes) from the pool, \(status.coldBoots) cold, \(status.unpauses) unpaused, \(status.restores) restored)
            suspends        \(status.suspends)
            saves           \(status.saves)
            pool creates    \(status.poolCreates)
            boot failures   \(status.bootFailures)
            reaped          \(status.reaped)
            adopted         \(status.adopted)

            """
    }
}

import ArgumentParser
import Summoner

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's state and counters.")

    @OptionGroup var options: ConnectionOptions

    func run() throws {
        guard let status = try report({ try options.send(ControlRequest(command: .status)).status }) else { return }
        if options.json {
            print(try encodeJSON(status))
            return
        }
        print("""
            zone            \(status.zone)
            accelerator     \(status.accelerator)
            libvirt         \(status.libvirtURI) (\(status.libvirtConnected ? "connected" : "disconnected, reconnecting"))
            services        \(status.services.joined(separator: ", "))
            live instances  \(status.liveInstances)
            pooled          \(status.pooledInstances)
            summons         \(status.boots) (\(status.poolResumes) from the pool, \(status.coldBoots) cold)
            pool creates    \(status.poolCreates)
            boot failures   \(status.bootFailures)
            reaped          \(status.reaped)
            adopted         \(status.adopted)
            """)
    }
}

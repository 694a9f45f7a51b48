import GuestStack
import VMLauncher

/// Stop mode `shutdown`: an idle guest is asked to stop with a `StopRequest` datagram; it drains
/// its connections and powers off, which ends the domain. The table destroys the domain if it is
/// still there after the service's `shutdown_timeout` (see `InstanceTable.tick`).
extension InstanceManager {
    /// Copies of the stop request sent, 100 ms apart, in case one is lost.
    static var stopRequestCopies: Int { 3 }

    func shutdownGuest(_ record: Table.Record) {
        let log = logger(for: record)
        guard let messenger else {
            log.warning("cannot ask the guest to stop: no readiness endpoint to send from; destroying it")
            destroy(record.domainName, reason: .idle)
            return
        }
        log.info("asking the idle guest to stop", metadata: ["domain": "\(record.domainName)"])
        let endpoint = IPv4Endpoint(address: record.address, port: StopRequest.guestPort)
        let payload = StopRequest.payload(instanceID: record.id)
        Task {
            for copy in 1...Self.stopRequestCopies {
                guard self.awaitsGuestShutdown(record.domainName) else { return }
                do {
                    try await messenger.send(payload, to: endpoint)
                } catch {
                    log.warning("cannot send the stop request (copy \(copy)): \(error)")
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// True while the domain's guest was asked to stop and has neither ended nor timed out.
    func awaitsGuestShutdown(_ domainName: String) -> Bool {
        table.record(domainName: domainName)?.shutdownDeadline != nil
    }

    /// The domain of a guest asked to stop has ended: the shutdown worked.
    func guestShutDown(_ record: Table.Record) {
        let elapsed = record.lastLookup.duration(to: clock.now)
        logger(for: record).info(
            "guest stopped on request", metadata: ["domain": "\(record.domainName)", "idle_s": "\(seconds(elapsed))"])
        countReaped()
        removeSerialLog(instanceID: record.id)
        domainGone(record.domainName)
    }
}

/// What the UDP transport does with one datagram: answer it at once when it can, which is
/// nearly always; hand it to a task only when the provider must wait (a summon), or to the
/// forwarder for a name outside the zone from an allowed client. Refused for everyone else.
struct DNSDatagramAnswerer<Provider: ZoneAnswerProvider>: Sendable {
    let responder: AuthoritativeResponder<Provider>
    let forwarder: DNSForwarder?

    /// The reply to send at once, or nil when there is none now: the packet is dropped (a
    /// runt, or a response), or its reply is passed to `later` when it is known.
    func answer(_ packet: [UInt8], from peer: DNSUDPPeer, later: @escaping @Sendable ([UInt8]) -> Void) -> [UInt8]? {
        switch responder.step(for: packet) {
        case .drop:
            return nil
        case .respond(let response):
            return response.bytes(for: .udp)
        case .lookup(let pending):
            let responder = self.responder
            Task { later(await responder.finish(pending).bytes(for: .udp)) }
            return nil
        case .outsideZone(let refusal, let query):
            guard let forwarder, forwarder.settings.allows(peer.socketAddress) else {
                return responder.observed(refusal).bytes(for: .udp)
            }
            let responder = self.responder
            forwarder.relay(packet, query: query, on: .udp) {
                responder.serverFailure(for: query).bytes(for: .udp)
            }.whenSuccess(later)
            return nil
        }
    }
}

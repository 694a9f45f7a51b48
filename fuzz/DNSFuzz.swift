// libFuzzer target for the DNS parser, serialiser and answer logic. Compiled by scripts/fuzz-dns
// together with Sources/DNSFrontend/Wire and Authority (no NIO), so it calls them directly.
//
// Beyond "no crash, no sanitizer report", it checks what must hold for every input:
// - a message that parses serialises and parses back to itself, and truncates to any limit
//   into a message that still parses;
// - the responder drops only packets shorter than a header or with QR=1, and every response
//   parses, has QR=1 and the query's id, and fits the transport's limit.

let zone = ZoneAuthority(apex: "summon.test.")!
let provider = StaticZoneProvider(
    addresses: [
        "hello": [DNSIPv4Address(10, 77, 0, 10)], "slow": [DNSIPv4Address(10, 77, 0, 12)],
        "many": (1...100).map { DNSIPv4Address(10, 77, 1, UInt8($0)) }, "a.b": [DNSIPv4Address(1, 2, 3, 4)],
    ],
    delayed: ["slow": .seconds(1)])
let responder = AuthoritativeResponder(zone: zone, provider: provider)
let outcomes: [ZoneLookupResult] = [
    .addresses([DNSIPv4Address(1, 1, 1, 1)], ttl: 1), .noData, .nameError, .serverFailure,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkCodec(bytes)
    checkResponder(bytes)
    return 0
}

func checkCodec(_ bytes: [UInt8]) {
    guard let message = try? DNSMessage(parsing: bytes) else { return }
    let wire = message.serialized()
    guard let again = try? DNSMessage(parsing: wire) else { fatalError("serialised message does not parse") }
    guard again == message else { fatalError("round trip changed the message") }
    for limit in [0, 12, 100, 512, 1232] {
        let cut = message.serialized(maxSize: limit)
        guard cut.count <= max(limit, DNSHeader.wireLength) else { fatalError("truncation exceeds \(limit)") }
        guard (try? DNSMessage(parsing: cut)) != nil else { fatalError("truncated message does not parse") }
    }
}

func checkResponder(_ bytes: [UInt8]) {
    switch responder.step(for: bytes) {
    case .drop:
        guard bytes.count < DNSHeader.wireLength || bytes[2] & 0x80 != 0 else { fatalError("dropped a query") }
    case .respond(let response), .outsideZone(let response, _):
        checkResponse(response, to: bytes)
    case .lookup(let pending):
        for outcome in outcomes { checkResponse(pending.complete(with: outcome), to: bytes) }
    }
}

func checkResponse(_ response: DNSResponse, to query: [UInt8]) {
    guard query.count >= DNSHeader.wireLength, query[2] & 0x80 == 0 else { fatalError("answered a non-query") }
    for transport in [DNSTransport.udp, .tcp] {
        let wire = response.bytes(for: transport)
        let limit = response.sizeLimit(on: transport, ourPayloadSize: 1232)
        guard wire.count <= limit else { fatalError("response of \(wire.count) bytes exceeds \(limit)") }
        guard let parsed = try? DNSMessage(parsing: wire) else { fatalError("response does not parse") }
        guard parsed.header.isResponse, wire[0] == query[0], wire[1] == query[1] else {
            fatalError("response lacks QR or the query's id")
        }
    }
}

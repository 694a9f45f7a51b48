import Foundation
import Testing

@testable import DNSFrontend

/// Replays the fuzzer's seed packets (`fuzz/corpus`: real dig and kdig queries, dnspython
/// messages, the end-to-end test's hostile packets) through the invariants `fuzz/DNSFuzz.swift`
/// checks, so `swift test` holds them too. Inputs the fuzzer finds crashing go into this folder
/// and get a named test of their own in `DNSHostileInputTests`.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../../fuzz/corpus").standardizedFileURL

    static func packets() throws -> [(name: String, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: corpus.appendingPathComponent($0)))) }
    }

    let responder = AuthoritativeResponder(
        zone: ZoneAuthority(apex: "summon.test.")!,
        provider: StaticZoneProvider(addresses: ["hello": [DNSIPv4Address(10, 77, 0, 10)]]))

    @Test func theCorpusHoldsRealQueriesAndHostilePackets() throws {
        let names = try Self.packets().map(\.name)
        #expect(names.filter { $0.hasPrefix("query-") }.count >= 20)
        #expect(names.contains { $0.hasPrefix("hostile-") } && names.contains { $0.hasPrefix("response-") })
    }

    @Test func everySeedRoundTripsAndGetsAWellFormedAnswerOrNone() async throws {
        for (name, bytes) in try Self.packets() {
            if let message = try? DNSMessage(parsing: bytes) {
                #expect(try DNSMessage(parsing: message.serialized()) == message, "\(name)")
            }
            let isQuery = bytes.count >= DNSHeader.wireLength && bytes[2] & 0x80 == 0
            guard let response = await responder.respond(to: bytes) else {
                #expect(!isQuery, "\(name): a query must be answered")
                continue
            }
            #expect(isQuery, "\(name): only queries are answered")
            let udp = response.bytes(for: .udp)
            #expect(udp.count <= response.sizeLimit(on: .udp, ourPayloadSize: 1232), "\(name)")
            let parsed = try DNSMessage(parsing: udp)
            #expect(parsed.header.isResponse && Array(udp[0..<2]) == Array(bytes[0..<2]), "\(name)")
        }
    }
}

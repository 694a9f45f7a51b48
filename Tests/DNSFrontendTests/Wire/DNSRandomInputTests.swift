import Testing

@testable import DNSFrontend

/// A small deterministic fuzzer: random bytes and mutations of real messages must only ever be
/// parsed or refused with a `DNSParseError`, never crash; whatever parses must serialise and
/// parse back to the same message. Inputs it finds worth keeping become named tests in
/// `DNSHostileInputTests`.
@Suite("DNS random inputs")
struct DNSRandomInputTests {
    static let seeds: [[UInt8]] = [
        DNSGoldenBytesTests.digQuery, DNSGoldenBytesTests.dnspythonResponse,
        DNSGoldenBytesTests.dnspythonNXDomain, DNSGoldenBytesTests.dnspythonMixed,
    ]

    /// Parses `bytes`; if that works, checks the parse, serialise, parse round trip.
    /// Returns whether the input parsed.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        let message: DNSMessage
        do {
            message = try DNSMessage(parsing: bytes)
        } catch {
            return false
        }
        let again = message.serialized()
        #expect(
            (try? DNSMessage(parsing: again)) == message, "round trip of \(WireHex.string(bytes))")
        return true
    }

    @Test func randomGarbageIsRefusedWithoutCrashing() {
        var random = SplitMix64(state: 0x5EED_0001)
        for _ in 0..<4000 {
            let count = Int.random(in: 0...300, using: &random)
            Self.check((0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
    }

    @Test func randomBodiesBehindAPlausibleHeader() {
        var random = SplitMix64(state: 0x5EED_0002)
        for _ in 0..<4000 {
            let counts = (0..<4).map { _ in UInt16.random(in: 0...3, using: &random) }
            let body = (0..<Int.random(in: 0...120, using: &random)).map { _ in
                // Mostly small values and pointer bytes, which reach deeper into the parser.
                [0x00, 0x01, 0x03, 0xC0, 0x0C, UInt8.random(in: 0...255, using: &random)]
                    .randomElement(using: &random)!
            }
            Self.check(
                rawMessage(
                    questions: counts[0], answers: counts[1], authorities: counts[2],
                    additionals: counts[3], body: body))
        }
    }

    @Test func mutatedRealMessagesParseOrFailCleanly() {
        var random = SplitMix64(state: 0x5EED_0003)
        var parsed = 0
        for round in 0..<6000 {
            var bytes = Self.seeds[round % Self.seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = .random(
                        in: 0...255, using: &random)
                case 1:
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^=
                        1 << UInt8.random(in: 0..<8, using: &random)
                case 2:
                    bytes.removeLast(Int.random(in: 0...min(8, bytes.count - 1), using: &random))
                default:
                    bytes.insert(
                        .random(in: 0...255, using: &random),
                        at: Int.random(in: 0...bytes.count, using: &random))
                }
            }
            if Self.check(bytes) { parsed += 1 }
        }
        // The mutations must leave a good share parseable, or the round-trip check tests little.
        #expect(parsed > 500)
    }

    @Test func everyPrefixOfARealMessageFailsCleanly() {
        for seed in Self.seeds {
            for length in 0..<seed.count {
                #expect(!Self.check(Array(seed[..<length])), "prefix of \(length) bytes")
            }
        }
    }
}

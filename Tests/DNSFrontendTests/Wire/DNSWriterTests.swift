import Testing

@testable import DNSFrontend

@Suite("DNS writer compression")
struct DNSWriterTests {
    @Test func repeatedNamesBecomeTwoBytePointersCaseSensitively() {
        var writer = DNSWriter()
        writer.writeName(.test("hello.summon.test"))
        let first = writer.count
        writer.writeName(.test("hello.summon.test"))
        #expect(writer.count - first == 2, "a pointer to offset 0")
        #expect(Array(writer.bytes[first...]) == [0xC0, 0x00])
        let beforeMixed = writer.count
        writer.writeName(.test("HELLO.summon.test"))
        #expect(Array(writer.bytes[beforeMixed...]) == [5] + Array("HELLO".utf8) + [0xC0, 6], "case kept")
    }

    @Test func pastTheRememberedCapNamesStillRoundTrip() throws {
        let names = (0..<200).map { DNSName.test("host\($0).summon.test") }
        let message = DNSMessage(
            header: DNSHeader(id: 1, isResponse: true),
            answers: names.map { DNSResourceRecord(name: $0, ttl: 1, data: .cname(.test("target.summon.test"))) })
        let bytes = message.serialized()
        #expect(try DNSMessage(parsing: bytes) == message)
        // Every owner still shares the remembered `summon.test` suffix.
        #expect(bytes.count < 200 * ("host100".count + 1 + 2 + 10 + 2 + "target".count + 1 + 2))
    }
}

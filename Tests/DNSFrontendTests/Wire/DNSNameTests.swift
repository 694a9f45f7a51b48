import Testing

@testable import DNSFrontend

@Suite("DNSName")
struct DNSNameTests {
    @Test func parsesDottedTextWithOrWithoutTrailingDot() throws {
        let name = try #require(DNSName("hello.summon.test"))
        #expect(name.labels == [Array("hello".utf8), Array("summon".utf8), Array("test".utf8)])
        #expect(DNSName("hello.summon.test.") == name)
        #expect(name.text == "hello.summon.test.")
        #expect(name.description == "hello.summon.test.")
        #expect(name.wireLength == 19)
    }

    @Test func rootIsADotAlone() {
        #expect(DNSName(".") == DNSName.root)
        #expect(DNSName.root.text == ".")
        #expect(DNSName.root.wireLength == 1)
        #expect(DNSName.root.isRoot)
    }

    @Test(arguments: ["", "..", ".a", "a..b", "a.b..", "a\\", "a\\25", "a\\256"])
    func refusesMalformedText(_ text: String) {
        #expect(DNSName(text) == nil)
    }

    @Test func enforcesLabelAndNameLimits() {
        let label63 = String(repeating: "a", count: 63)
        #expect(DNSName(label63) != nil)
        #expect(DNSName(label63 + "a") == nil)
        // 3 × (1 + 63) + (1 + 61) + 1 = 255 bytes: the longest name allowed.
        let longest = [label63, label63, label63, String(repeating: "b", count: 61)].joined(
            separator: ".")
        #expect(DNSName(longest)?.wireLength == 255)
        #expect(DNSName(longest + "b") == nil)
        #expect(DNSName(labels: [[]]) == nil)
        #expect(DNSName(labels: [Array(repeating: 0x61, count: 64)]) == nil)
    }

    @Test func escapesRoundTripThroughText() throws {
        let name = try #require(
            DNSName(labels: [[0x61, 0x2E, 0x62], [0x00, 0x20, 0x5C, 0xFF], Array("ok".utf8)]))
        #expect(name.text == "a\\046b.\\000\\032\\092\\255.ok.")
        #expect(DNSName(name.text) == name)
        #expect(DNSName("a\\.b.c")?.labels.first == [0x61, 0x2E, 0x62])
        #expect(DNSName("\\065bc") == DNSName("Abc"))
    }

    @Test func equalityIsExactButComparisonsCanIgnoreCase() {
        let mixed = DNSName.test("HeLLo.Summon.TEST")
        let lower = DNSName.test("hello.summon.test")
        #expect(mixed != lower)
        #expect(mixed.equalsIgnoringCase(lower))
        #expect(mixed.lowercased() == lower)
        #expect(mixed.text == "HeLLo.Summon.TEST.")
        #expect(!lower.equalsIgnoringCase(.test("hello.summon")))
        #expect(!lower.equalsIgnoringCase(.test("hellp.summon.test")))
    }

    @Test func lowercasingTouchesOnlyASCIILetters() throws {
        let name = try #require(DNSName(labels: [[0x41, 0x5A, 0x40, 0x5B, 0xC4]]))
        #expect(name.lowercased().labels == [[0x61, 0x7A, 0x40, 0x5B, 0xC4]])
    }

    @Test func subdomainsAreWholeLabelSuffixesIgnoringCase() {
        let zone = DNSName.test("summon.test")
        #expect(DNSName.test("hello.summon.test").isSubdomain(of: zone))
        #expect(DNSName.test("a.b.SUMMON.Test").isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: .root))
        #expect(DNSName.root.isSubdomain(of: .root))
        #expect(!DNSName.test("xsummon.test").isSubdomain(of: zone))
        #expect(!DNSName.test("test").isSubdomain(of: zone))
        #expect(!DNSName.root.isSubdomain(of: zone))
    }
}

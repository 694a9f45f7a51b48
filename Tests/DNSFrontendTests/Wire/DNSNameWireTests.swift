import Testing

@testable import DNSFrontend

/// `DNSName` keeps one buffer in wire form; these pin that form and the label-boundary rules.
@Suite("DNSName wire form")
struct DNSNameWireTests {
    @Test func theWireFormIsLengthPrefixedLabelsThenZero() {
        let name = DNSName.test("Hello.summon.test")
        #expect(name.wire == [5] + Array("Hello".utf8) + [6] + Array("summon".utf8) + [4] + Array("test".utf8) + [0])
        #expect(name.labelCount == 3 && name.wireLength == 19)
        #expect(DNSName.root.wire == [0] && DNSName.root.labelCount == 0 && DNSName.root.labels.isEmpty)
    }

    @Test func aSuffixMatchInsideALabelIsNotASubdomain() throws {
        // The label "\001b" makes the wire bytes of `b.c` appear one byte in, not at a label start.
        let tricky = try #require(DNSName(labels: [[1, 0x62], [0x63]]))
        #expect(tricky.wire == [2, 1, 0x62, 1, 0x63, 0])
        #expect(!tricky.isSubdomain(of: .test("b.c")))
        #expect(tricky.isSubdomain(of: .test("C")))
        #expect(DNSName.test("A.B.C").isSubdomain(of: .test("b.c")))
    }

    @Test func lowercasingNeverTouchesLengthBytes() throws {
        let name = try #require(DNSName(labels: [Array(repeating: 0x41, count: 63), Array("Z".utf8)]))
        #expect(name.lowercased().wire == [63] + Array(repeating: 0x61, count: 63) + [1, 0x7A, 0])
        #expect(name.equalsIgnoringCase(name.lowercased()) && name != name.lowercased())
    }

    @Test func providersAreAskedWithLowercasedLabelsOfTheQueriedDepth() {
        let labels = AuthoritativeResponder<StaticZoneProvider>.lowercasedLabels(of: .test("WwW.Hello.summon.test"), count: 2)
        #expect(labels == ["www", "hello"])
    }
}

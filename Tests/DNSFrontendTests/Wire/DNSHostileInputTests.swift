import Testing

@testable import DNSFrontend

/// Malformed and malicious messages, one named case each. Offsets in the expected errors count
/// from the start of the message; the body of `rawMessage` starts at 12.
@Suite("DNS hostile inputs")
struct DNSHostileInputTests {
    /// Type A, class IN, for the end of a question.
    static let typeAClassIN: [UInt8] = [0, 1, 0, 1]

    func expectError(_ expected: DNSParseError, parsing bytes: [UInt8]) {
        #expect(throws: expected) { try DNSMessage(parsing: bytes) }
    }

    @Test func emptyPacket() {
        expectError(.tooShortForHeader, parsing: [])
        #expect(DNSMessage.parseHeader([]) == nil)
    }

    @Test func truncatedHeader() {
        let bytes = Array(DNSGoldenBytesTests.dnspythonQuery[..<11])
        expectError(.tooShortForHeader, parsing: bytes)
        #expect(DNSMessage.parseHeader(bytes) == nil)
        #expect(DNSMessage.parseSectionCounts(bytes) == nil)
    }

    @Test func headerStillReadableWhenTheRestIsBroken() {
        let bytes = rawMessage(questions: 1, body: [0x80])
        expectError(.badLabelType(at: 12), parsing: bytes)
        #expect(DNSMessage.parseHeader(bytes)?.id == 0xABCD)
        #expect(DNSMessage.parseSectionCounts(bytes)?.questions == 1)
    }

    @Test func pointerToItself() {
        expectError(
            .pointerLoop(at: 12),
            parsing: rawMessage(questions: 1, body: [0xC0, 0x0C] + Self.typeAClassIN))
    }

    @Test func pointerBackToItsOwnLabels() {
        // "a" at 12, then a pointer at 14 back to 12: a, a, a, ... forever.
        expectError(
            .pointerLoop(at: 14), parsing: rawMessage(questions: 1, body: [0x01, 0x61, 0xC0, 0x0C]))
    }

    @Test func twoPointerCycle() {
        // Question "a." at 12..<19. Answer owner at 19 points to 21, which points back to 19.
        // Any cycle needs a pointer that does not point backwards; that one is refused.
        let body = [0x01, 0x61, 0x00] + Self.typeAClassIN + [0xC0, 0x15, 0xC0, 0x13]
        expectError(.badPointer(at: 19), parsing: rawMessage(questions: 1, answers: 1, body: body))
    }

    @Test func forwardPointer() {
        let body = [0xC0, 0x0E] + wireName("a.test") + Self.typeAClassIN
        expectError(.badPointer(at: 12), parsing: rawMessage(questions: 1, body: body))
    }

    @Test func pointerIntoTheHeader() {
        expectError(
            .badPointer(at: 12),
            parsing: rawMessage(questions: 1, body: [0xC0, 0x02] + Self.typeAClassIN))
    }

    @Test func pointerPastTheEnd() {
        expectError(.badPointer(at: 12), parsing: rawMessage(questions: 1, body: [0xFF, 0xFF]))
    }

    @Test func pointerCutInHalf() {
        expectError(.truncated(at: 12), parsing: rawMessage(questions: 1, body: [0xC0]))
    }

    @Test func labelOver63() {
        // 0x40 as a length would be 64, but its top bits make it label type 0b01.
        let body = [0x40] + Array(repeating: 0x61, count: 64) + [0x00] + Self.typeAClassIN
        expectError(.badLabelType(at: 12), parsing: rawMessage(questions: 1, body: body))
    }

    @Test(arguments: [UInt8(0x40), 0x41, 0x80, 0xBF])
    func badLabelType(_ lengthByte: UInt8) {
        let body = Array(wireName("ok").dropLast()) + [lengthByte, 0x00] + Self.typeAClassIN
        expectError(.badLabelType(at: 15), parsing: rawMessage(questions: 1, body: body))
    }

    @Test func nameOver255() {
        let label: [UInt8] = [63] + Array(repeating: 0x61, count: 63)
        let body = label + label + label + label + [0x00] + Self.typeAClassIN
        expectError(.nameTooLong(at: 12), parsing: rawMessage(questions: 1, body: body))
    }

    @Test func nameOver255OnlyOnceDecompressed() {
        // Question: three 63-byte labels (193 bytes). Answer owner: one more label, then a
        // pointer to the question: 64 + 193 = 257 bytes.
        let label: [UInt8] = [63] + Array(repeating: 0x61, count: 63)
        let question = label + label + label + [0x00] + Self.typeAClassIN
        let owner = 12 + question.count
        let body =
            question + label + [0xC0, 0x0C] + recordFields(type: 1, rdlength: 4) + [1, 2, 3, 4]
        expectError(
            .nameTooLong(at: owner), parsing: rawMessage(questions: 1, answers: 1, body: body))
    }

    @Test func longPointerChain() throws {
        // An opaque record holds a root byte at 23 and a chain of pointers, each to the one
        // before; the next record's owner enters at the end of the chain.
        func message(chain: Int) -> [UInt8] {
            let rdataStart = 12 + 1 + 10
            var rdata: [UInt8] = [0x00]
            for index in 0..<chain {
                let target = index == 0 ? rdataStart : rdataStart + 1 + 2 * (index - 1)
                rdata += [0xC0 | UInt8(target >> 8), UInt8(target & 0xFF)]
            }
            let last = rdataStart + 1 + 2 * (chain - 1)
            let first = [0x00] + recordFields(type: 0xFF00, rdlength: UInt16(rdata.count)) + rdata
            let second =
                [0xC0 | UInt8(last >> 8), UInt8(last & 0xFF)]
                + recordFields(type: 0xFF00, rdlength: 0)
            return rawMessage(answers: 2, body: first + second)
        }
        let accepted = try DNSMessage(parsing: message(chain: DNSReader.maxPointerHops - 1))
        #expect(accepted.answers[1].name == .root)
        let refusedAt = 12 + 1 + 10 + 1 + 2 * DNSReader.maxPointerHops
        expectError(
            .tooManyPointers(at: refusedAt), parsing: message(chain: DNSReader.maxPointerHops))
    }

    @Test func countsThatLie() {
        let query = DNSGoldenBytesTests.dnspythonQuery
        expectError(.truncated(at: 12), parsing: rawMessage(questions: 1, body: []))
        expectError(
            .truncated(at: 12), parsing: rawMessage(questions: 0xFFFF, answers: 0xFFFF, body: []))
        var moreAdditionals = query
        moreAdditionals[11] = 2
        expectError(.truncated(at: query.count), parsing: moreAdditionals)
        let oneAnswer =
            wireName("a") + Self.typeAClassIN + [0xC0, 0x0C] + recordFields(type: 1, rdlength: 4)
            + [1, 2, 3, 4]
        expectError(
            .truncated(at: 12 + oneAnswer.count),
            parsing: rawMessage(questions: 1, answers: 3, body: oneAnswer))
    }

    @Test func fieldCutShort() {
        expectError(
            .truncated(at: 15), parsing: rawMessage(questions: 1, body: [0x00, 0x00, 0x01, 0x00]))
    }

    @Test func rdlengthPastEnd() {
        let body = [0x00] + recordFields(type: 1, rdlength: 100) + [10, 77, 0, 10]
        expectError(.rdataPastEnd(at: 23), parsing: rawMessage(answers: 1, body: body))
    }
}

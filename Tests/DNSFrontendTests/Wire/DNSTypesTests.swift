import Testing

@testable import DNSFrontend

@Suite("DNS codes and addresses")
struct DNSTypesTests {
    @Test func mnemonicsAndGenericNames() {
        #expect(DNSRecordType.aaaa.description == "AAAA")
        #expect(DNSRecordType(rawValue: 65).description == "TYPE65")
        #expect(DNSClass.internet.description == "IN")
        #expect(DNSClass(rawValue: 1232).description == "CLASS1232")
        #expect(DNSOpcode.notify.description == "NOTIFY")
        #expect(DNSOpcode(rawValue: 3).description == "OPCODE3")
        #expect(DNSResponseCode.nameError.description == "NXDOMAIN")
        #expect(DNSResponseCode(rawValue: 23).description == "RCODE23")
    }

    @Test func headerFlagsMapToTheirBits() {
        let all = DNSHeader(
            id: 1, isResponse: true, opcode: .update, isAuthoritative: true, isTruncated: true,
            recursionDesired: true, recursionAvailable: true, authenticData: true,
            checkingDisabled: true, responseCodeLow: 5)
        #expect(all.flags == 0xAFB5)
        #expect(DNSHeader(id: 1, flags: 0xAFB5) == all)
        // The reserved Z bit (0x0040) is ignored.
        #expect(DNSHeader(id: 1, flags: 0x0040) == DNSHeader(id: 1))
    }

    @Test func extendedResponseCodeLivesInTheOPTRecord() throws {
        var message = DNSMessage(header: DNSHeader(id: 7, isResponse: true))
        message.responseCode = .refused
        #expect(message.edns == nil)
        #expect(message.header.responseCodeLow == 5)
        message.responseCode = .badVersion
        #expect(message.header.responseCodeLow == 0)
        #expect(message.edns?.extendedRCodeHigh == 1)
        let parsed = try DNSMessage(parsing: message.serialized())
        #expect(parsed.responseCode == .badVersion)
        message.responseCode = .noError
        #expect(message.edns?.extendedRCodeHigh == 0)
    }

    @Test func ednsPacksItsFieldsIntoClassAndTTL() {
        let edns = DNSEDNS(udpPayloadSize: 4096, extendedRCodeHigh: 1, version: 2, dnssecOK: true)
        let record = edns.record
        #expect(record.name == .root && record.type == .opt)
        #expect(record.class.rawValue == 4096)
        #expect(record.ttl == 0x0102_8000)
        #expect(DNSEDNS(record: record) == edns)
        #expect(DNSEDNS(udpPayloadSize: 100).effectiveUDPPayloadSize == 512)
        #expect(DNSEDNS(record: DNSResourceRecord(name: .root, ttl: 1, data: .ns(.root))) == nil)
    }

    @Test func addressesPrintConventionally() throws {
        #expect(DNSIPv4Address(10, 77, 0, 10).description == "10.77.0.10")
        #expect(DNSIPv4Address(10, 77, 0, 10).bytes == [10, 77, 0, 10])
        let cases: [(String, String)] = [
            ("00000000000000000000000000000000", "::"),
            ("00000000000000000000000000000001", "::1"),
            ("20010db8000000000000000000000000", "2001:db8::"),
            ("00010000000000010000000000000001", "1:0:0:1::1"),
            ("20010db8000100010001000100010001", "2001:db8:1:1:1:1:1:1"),
            ("20010db8000000010000000000000001", "2001:db8:0:1::1"),
        ]
        for (hex, text) in cases {
            let address = try #require(DNSIPv6Address(bytes: WireHex.bytes(hex)))
            #expect(address.description == text)
            #expect(address.bytes == WireHex.bytes(hex))
        }
        #expect(DNSIPv6Address(bytes: [1, 2, 3]) == nil)
    }
}

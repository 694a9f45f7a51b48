import Testing

@testable import GuestStack

@Suite("IPv6 addresses: RFC 4291 text in, RFC 5952 text out, derived addresses")
struct IPv6AddressTests {
    @Test(arguments: [
        ("fd88::10", "fd88::10"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("FE80::5054:FF:FE88:A", "fe80::5054:ff:fe88:a"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of two equal runs
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // one zero group is not compressed
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run, not the first
    ])
    func parsesAndWritesCanonicalText(input: String, canonical: String) {
        let address = IPv6Address(input)
        #expect(address?.text == canonical)
        #expect(IPv6Address(canonical) == address)
    }

    @Test(arguments: [
        "", ":", ":1", "1:", ":::", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::8", "fe80::1%eth0", "::ffff:1.2.3.4", "fd88::10/64", " ::1",
    ])
    func refusesMalformedText(text: String) {
        #expect(IPv6Address(text) == nil)
    }

    @Test func bytesRoundTripInNetworkOrder() {
        let address = IPv6Address("2001:db8:1:2:3:4:5:6")!
        var bytes: [UInt8] = []
        address.append(to: &bytes)
        #expect(bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6])
        #expect(IPv6Address(bytes[...], at: 0) == address)
    }

    @Test func derivedAddresses() {
        #expect(IPv6Address.linkLocal(for: MACAddress(0x5254_0088_000a)) == IPv6Address("fe80::5054:ff:fe88:a"))
        #expect(IPv6Address("fd88::10")!.solicitedNode == IPv6Address("ff02::1:ff00:10"))
        #expect(IPv6Address("fe80::5054:ff:fe88:a")!.solicitedNode == IPv6Address("ff02::1:ff88:a"))
        #expect(IPv6Address("ff02::1:ff00:10")!.multicastMAC == MACAddress(0x3333_ff00_0010))
        #expect(IPv6Address("fe80::1")!.isLinkLocal && IPv6Address("febf::1")!.isLinkLocal)
        #expect(!IPv6Address("fec0::1")!.isLinkLocal && !IPv6Address("fd88::1")!.isLinkLocal)
        #expect(IPv6Address("ff02::1")!.isMulticast && !IPv6Address("fd88::1")!.isMulticast)
    }

    @Test func prefixes() {
        let interface = IPv6Interface(address: IPv6Address("fd88::10")!, prefixLength: 64)
        #expect(interface.contains(IPv6Address("fd88::ffff:1")!))
        #expect(!interface.contains(IPv6Address("fd88:0:0:1::1")!))
        let narrow = IPv6Interface(address: IPv6Address("fd88::10")!, prefixLength: 124)
        #expect(narrow.contains(IPv6Address("fd88::1f")!))
        #expect(!narrow.contains(IPv6Address("fd88::20")!))
        #expect(IPv6Interface(parsing: Array("fd88::10/128".utf8))?.contains(IPv6Address("fd88::10")!) == true)
    }

    @Test(arguments: ["fd88::10", "fd88::10/0", "fd88::10/129", "ff02::1/64", "::/64", "fd88::10/064", "fd88::10/"])
    func refusesBadInterfaces(text: String) {
        #expect(IPv6Interface(parsing: Array(text.utf8)) == nil)
    }

    @Test func checksumVectorWithAnIPv6PseudoHeader() {
        // An ICMPv6 echo request from fd88::1 to fd88::10; its checksum is verified by summing
        // it after the pseudo-header written out byte by byte as RFC 8200, 8.1 lays it out.
        let source = IPv6Address("fd88::1")!
        let destination = IPv6Address("fd88::10")!
        let message = ICMPv6Message.make(type: 128, body: [0x12, 0x34, 0, 1][...], source: source, destination: destination)
        var explicit: [UInt8] = []
        source.append(to: &explicit)
        destination.append(to: &explicit)
        explicit.appendUInt32(UInt32(message.count))
        explicit += [0, 0, 0, 58]
        explicit += message
        #expect(InternetChecksum.of(explicit[...]) == 0)
        #expect(ICMPv6Message(message[...], source: source, destination: destination) != nil)
        #expect(ICMPv6Message(message[...], source: destination, destination: source)?.type == 128)  // sum is symmetric
        #expect(ICMPv6Message(message[...], source: IPv6Address("fd88::2")!, destination: destination) == nil)
    }
}

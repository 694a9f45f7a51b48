import Testing

@testable import GuestStack

@Suite("Guest command line grammar")
struct GuestCommandLineTests {
    func parse(_ text: String) throws(GuestCommandLineError) -> GuestCommandLine {
        try GuestCommandLine(parsing: Array(text.utf8))
    }

    @Test func parsesEveryKey() throws {
        let line = try parse("id=hello-1 ip=10.77.0.10/24 gw=10.77.0.1 ready=10.77.0.1:5300")
        #expect(line.instanceID == "hello-1")
        #expect(line.interface == IPv4Interface(address: IPv4Address(10, 77, 0, 10), prefixLength: 24))
        #expect(line.gateway == IPv4Address(10, 77, 0, 1))
        #expect(line.readyEndpoint == IPv4Endpoint(address: IPv4Address(10, 77, 0, 1), port: 5300))
    }

    @Test func renderedTextParsesBackToTheSameValue() throws {
        let original = GuestCommandLine(
            instanceID: "web.2_a", interface: IPv4Interface(address: IPv4Address(192, 168, 1, 254), prefixLength: 30),
            gateway: IPv4Address(192, 168, 1, 253), readyEndpoint: IPv4Endpoint(address: IPv4Address(1, 2, 3, 4), port: 65535))
        #expect(original.rendered == "id=web.2_a ip=192.168.1.254/30 gw=192.168.1.253 ready=1.2.3.4:65535")
        #expect(try parse(original.rendered) == original)
    }

    @Test func ipv6KeysParseAndRenderBack() throws {
        let line = try parse("id=h ip6=FD88:0::10/64 gw6=fe80::1")
        #expect(line.interface6 == IPv6Interface(address: IPv6Address("fd88::10")!, prefixLength: 64))
        #expect(line.gateway6 == IPv6Address("fe80::1"))
        #expect(line.rendered == "id=h ip6=fd88::10/64 gw6=fe80::1")
        #expect(try parse(line.rendered) == line)
    }

    @Test func onlyIDIsRequired() throws {
        let line = try parse("id=a")
        #expect(line == GuestCommandLine(instanceID: "a"))
        #expect(line.rendered == "id=a")
    }

    @Test func ignoresWhatQEMUAndPeopleAdd() throws {
        let line = try parse("  console=ttyS0\tid=hello-1  virtio_mmio.device=512@0xfeb00e00:12 quiet ")
        #expect(line.instanceID == "hello-1")
    }

    @Test(arguments: [
        ("", GuestCommandLineError.missingKey(.id)),
        ("ip=10.77.0.10/24", .missingKey(.id)),
        ("id=a id=b", .repeatedKey(.id)),
        ("id=", .badValue(.id)),
        ("id=bad/char", .badValue(.id)),
        ("id=" + String(repeating: "x", count: 64), .badValue(.id)),
        ("id=a ip=10.77.0.300/24", .badValue(.ip)),
        ("id=a ip=10.77.0.3", .badValue(.ip)),
        ("id=a ip=10.77.0.3/33", .badValue(.ip)),
        ("id=a gw=1.2.3", .badValue(.gw)),
        ("id=a gw=01.2.3.4", .badValue(.gw)),
        ("id=a gw=1.2.3.4 gw=1.2.3.4", .repeatedKey(.gw)),
        ("id=a ready=1.2.3.4:0", .badValue(.ready)),
        ("id=a ready=1.2.3.4:65536", .badValue(.ready)),
        ("id=a ready=1.2.3.4", .badValue(.ready)),
        ("id=a ip6=fd88::10", .badValue(.ip6)),
        ("id=a ip6=fd88::10/129", .badValue(.ip6)),
        ("id=a ip6=ff02::1/64", .badValue(.ip6)),
        ("id=a ip6=10.77.0.10/24", .badValue(.ip6)),
        ("id=a ip6=fd88::1/64 ip6=fd88::2/64", .repeatedKey(.ip6)),
        ("id=a gw6=fe80::1/64", .badValue(.gw6)),
        ("id=a gw6=ff02::2", .badValue(.gw6)),
        ("id=a gw6=::", .badValue(.gw6)),
        ("id=a gw6=fe80::1 gw6=fe80::2", .repeatedKey(.gw6)),
    ])
    func refusesBadInput(text: String, expected: GuestCommandLineError) {
        #expect(throws: expected) { try parse(text) }
    }

    @Test func sixtyThreeByteIDIsAccepted() throws {
        let id = String(repeating: "x", count: 63)
        #expect(try parse("id=\(id)").instanceID == id)
    }
}

@Suite("IPv4 text")
struct IPv4AddressTests {
    @Test(arguments: ["0.0.0.0", "10.77.0.1", "255.255.255.255"])
    func roundTrips(text: String) {
        #expect(IPv4Address(text)?.text == text)
    }

    @Test(arguments: ["", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "00.1.2.3"])
    func refuses(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func valueIsHostOrder() {
        #expect(IPv4Address("10.77.0.1")?.value == 0x0A4D_0001)
    }
}

@Suite("READY line")
struct ReadyLineTests {
    @Test func format() {
        #expect(ReadyLine.text(instanceID: "hello-1") == "READY hello-1")
    }

    @Test func datagramRoundTrips() {
        let bytes = ReadyAnnouncement(instanceID: "hello-1", bootMicroseconds: 812).bytes
        #expect(String(decoding: bytes, as: UTF8.self) == "READY hello-1 812")
        #expect(ReadyAnnouncement(parsing: bytes) == ReadyAnnouncement(instanceID: "hello-1", bootMicroseconds: 812))
    }

    @Test(arguments: ["READY hello-1", "READY hello-1 ", "READY  hello-1 5", "READY hello/1 5", "READY hello-1 5x",
                      "ready hello-1 5", "READY hello-1 5 6", "READY hello-1 99999999999999999999"])
    func datagramRefuses(text: String) {
        #expect(ReadyAnnouncement(parsing: Array(text.utf8)) == nil)
    }
}

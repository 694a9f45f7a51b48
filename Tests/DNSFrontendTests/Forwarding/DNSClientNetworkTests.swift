import NIOCore
import Testing

@testable import DNSFrontend

@Suite("DNS client networks")
struct DNSClientNetworkTests {
    func address(_ text: String) -> SocketAddress { try! SocketAddress(ipAddress: text, port: 53) }

    @Test func ipv4PrefixesMatchByTheirLeadingBits() throws {
        let loopback = try #require(DNSClientNetwork("127.0.0.0/8"))
        #expect(loopback.contains(address("127.1.2.3")) && !loopback.contains(address("128.0.0.1")))
        let odd = try #require(DNSClientNetwork("10.77.0.0/23"))
        #expect(odd.contains(address("10.77.1.255")) && !odd.contains(address("10.77.2.0")))
        #expect(DNSClientNetwork("0.0.0.0/0")?.contains(address("203.0.113.9")) == true)
        #expect(loopback.description == "127.0.0.0/8")
    }

    @Test func ipv6HostsAndMappedIPv4Clients() throws {
        let host = try #require(DNSClientNetwork("::1"))
        #expect(host.prefixLength == 128 && host.contains(address("::1")) && !host.contains(address("::2")))
        #expect(!host.contains(address("127.0.0.1")), "families do not mix")
        let loopback = try #require(DNSClientNetwork("127.0.0.0/8"))
        #expect(loopback.contains(address("::ffff:127.0.0.1")), "an IPv4 client on a dual-stack socket")
        #expect(host.description == "::1/128")
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "example.com/8", "1.2.3.4/x", "1.2.3/8", "", "1.2.3.4/8/8"])
    func malformedNetworksAreRefused(text: String) {
        #expect(DNSClientNetwork(text) == nil)
    }
}

import Testing

@testable import GuestStack

@Suite("Network stack: multicast listener discovery")
struct MulticastListenerTests {
    let globalGroup = guestIP6.solicitedNode
    let linkLocalGroup = IPv6Address.linkLocal(for: guestMAC).solicitedNode

    /// The records of an MLDv2 report: (record type, group).
    func records(_ message: ICMPv6Message) -> [(UInt8, IPv6Address)] {
        let body = message.body
        let count = Int(body.uint16(at: 2))
        return (0..<count).map { index in (body.byte(at: 4 + 20 * index), IPv6Address(body, at: 4 + 20 * index + 4)) }
    }

    @Test func joinsItsSolicitedNodeGroupsTwiceASecondApart() {
        var harness = StackHarness()
        harness.stack.announceIPv6(now: harness.now)
        let reports = harness.exchange([]).filter { $0.multicastListenerMessage != nil }
        #expect(reports.count == 1)
        let report = reports[0]
        #expect(report.ethernet.destination == MACAddress(0x3333_0000_0016))
        #expect(report.ipv6?.destination == IPv6Address("ff02::16") && report.ipv6?.hopLimit == 1)
        #expect(report.ipv6?.source == IPv6Address.linkLocal(for: guestMAC))
        #expect(Array(report.ipv6!.payload.prefix(8)) == MulticastListenerMessage.hopByHopRouterAlert)
        let message = report.multicastListenerMessage!
        #expect(message.type == 143)
        #expect(records(message).map(\.0) == [4, 4])
        #expect(records(message).map(\.1) == [linkLocalGroup, globalGroup])

        #expect(harness.stack.nextDeadline == harness.now + 1_000_000)
        harness.now += 1_000_000
        #expect(harness.exchange([]).filter { $0.multicastListenerMessage?.type == 143 }.count == 1)
        harness.now += 10_000_000
        #expect(harness.exchange([]).isEmpty)
        #expect(harness.stack.nextDeadline == nil)
    }

    @Test func answersAGeneralQueryWithEveryGroup() {
        var harness = StackHarness()
        let sent = harness.exchange([HostFrames.multicastListenerQuery()])
        #expect(sent.count == 1)
        let message = sent[0].multicastListenerMessage
        #expect(message?.type == 143)
        #expect(message.map { records($0).map(\.0) } == [2, 2])
        #expect(message.map { records($0).map(\.1) } == [linkLocalGroup, globalGroup])
    }

    @Test func answersAnMLDv1QueryForOneOfItsGroupsInVersion1() {
        var harness = StackHarness()
        let sent = harness.exchange([
            HostFrames.multicastListenerQuery(group: globalGroup, version1: true),
            HostFrames.multicastListenerQuery(group: IPv6Address("ff02::1:ff00:99")!, version1: true),
        ])
        #expect(sent.count == 1)
        #expect(sent[0].multicastListenerMessage?.type == 131)
        #expect(sent[0].ipv6?.destination == globalGroup)
        #expect(sent[0].multicastListenerMessage.map { IPv6Address($0.body, at: 4) } == globalGroup)
    }

    @Test func ignoresQueriesThatDidNotComeFromARouterOnTheLink() {
        var harness = StackHarness()
        let sent = harness.exchange([
            HostFrames.multicastListenerQuery(from: hostIP6),  // not link-local
            HostFrames.multicastListenerQuery(hopLimit: 2),  // forwarded
        ])
        #expect(sent.isEmpty)
        #expect(harness.stack.statistics.framesIgnored == 2)
    }
}

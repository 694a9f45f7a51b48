// In-process cost of answering: parse, rules, provider, response, serialise, with no sockets.
// Compiled by scripts/bench-dns-inprocess together with Sources/DNSFrontend/Wire and Authority
// (swiftc -O -wmo), so it measures our code apart from NIO and the kernel. Same query mix as
// scripts/bench-dns.
import Foundation

let zone = ZoneAuthority(apex: "summon.test.")!
let provider = StaticZoneProvider(
    addresses: ["hello": [DNSIPv4Address(10, 77, 0, 10)], "web": [DNSIPv4Address(10, 77, 0, 11)]], ttl: 30)
let responder = AuthoritativeResponder(zone: zone, provider: provider)
let mix: [(String, DNSRecordType)] = [
    ("hello.summon.test.", .a), ("web.summon.test.", .a), ("nope.summon.test.", .a), ("hello.summon.test.", .aaaa),
    ("summon.test.", .soa), ("web.summon.test.", .a), ("hello.summon.test.", .a), ("missing.summon.test.", .a),
]
let queries = mix.enumerated().map { index, question in
    DNSMessage(header: DNSHeader(id: UInt16(index)), questions: [DNSQuestion(name: DNSName(question.0)!, type: question.1)])
        .serialized()
}

@inline(never) func answerAll(_ count: Int) -> Int {
    var bytes = 0
    for index in 0..<count {
        if case .respond(let response) = responder.step(for: queries[index & 7]) {
            bytes &+= response.bytes(for: .udp).count
        }
    }
    return bytes
}

@main
enum DNSAnswerBench {
    static func main() {
        let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
        _ = answerAll(10_000)
        let start = DispatchTime.now().uptimeNanoseconds
        let bytes = answerAll(count)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        let perAnswer = String(format: "%.0f", elapsed / Double(count))
        print("in-process: \(count) answers, \(perAnswer) ns per answer (\(bytes) bytes)")
    }
}

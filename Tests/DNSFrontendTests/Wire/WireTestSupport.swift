@testable import DNSFrontend

/// Hex helpers for golden bytes; whitespace in the text is ignored.
enum WireHex {
    static func bytes(_ text: String) -> [UInt8] {
        let digits = text.utf8.filter { !($0 == 0x20 || $0 == 0x0A) }.map { byte -> UInt8 in
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x61...0x66: byte - 0x61 + 10
            case 0x41...0x46: byte - 0x41 + 10
            default: preconditionFailure("not a hex digit: \(byte)")
            }
        }
        precondition(digits.count % 2 == 0, "odd number of hex digits")
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func string(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(
            decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] },
            as: UTF8.self)
    }
}

/// Builds raw messages by hand for hostile-input tests: a header with id 0xABCD, no flags, the
/// given counts (which may lie), then `body` as is. The body starts at offset 12.
func rawMessage(
    questions: UInt16 = 0, answers: UInt16 = 0, authorities: UInt16 = 0, additionals: UInt16 = 0,
    body: [UInt8]
) -> [UInt8] {
    var bytes: [UInt8] = [0xAB, 0xCD, 0x00, 0x00]
    for count in [questions, answers, authorities, additionals] {
        bytes += [UInt8(count >> 8), UInt8(count & 0xFF)]
    }
    return bytes + body
}

/// The wire form of a name from text, uncompressed, for building raw messages.
func wireName(_ text: String) -> [UInt8] {
    guard let name = DNSName(text) else { preconditionFailure("bad test name \(text)") }
    return name.labels.flatMap { [UInt8($0.count)] + $0 } + [0]
}

/// Type, class, TTL and RDLENGTH of a record, for building raw messages.
func recordFields(type: UInt16, class: UInt16 = 1, ttl: UInt32 = 60, rdlength: UInt16) -> [UInt8] {
    [
        UInt8(type >> 8), UInt8(type & 0xFF), UInt8(`class` >> 8), UInt8(`class` & 0xFF),
        UInt8(ttl >> 24), UInt8(ttl >> 16 & 0xFF), UInt8(ttl >> 8 & 0xFF), UInt8(ttl & 0xFF),
        UInt8(rdlength >> 8), UInt8(rdlength & 0xFF),
    ]
}

/// A small deterministic generator (SplitMix64), so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension DNSName {
    /// A name from text that the test knows is valid.
    static func test(_ text: String) -> DNSName {
        guard let name = DNSName(text) else { preconditionFailure("bad test name \(text)") }
        return name
    }
}

import Testing

@testable import GuestStack

@Suite("RFC 1071 Internet checksum")
struct RFC1071ChecksumTests {
    @Test func exampleFromTheRFC() {
        // RFC 1071, section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
        #expect(InternetChecksum.of([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7][...]) == ~UInt16(0xddf2))
    }

    @Test func oddLengthPadsTheLastByteWithZero() {
        #expect(InternetChecksum.of([0x01, 0x02, 0x03][...]) == ~UInt16(0x0102 + 0x0300))
    }

    @Test func carriesFoldBackIn() {
        #expect(InternetChecksum.of([0xff, 0xff, 0x00, 0x01][...]) == ~UInt16(0x0001))
    }

    @Test func aHeaderWithItsChecksumSumsToZero() {
        // A well-known IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) with checksum b861.
        let header: [UInt8] = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ]
        #expect(InternetChecksum.of(header[...]) == 0)
        var zeroed = header
        zeroed[10] = 0
        zeroed[11] = 0
        #expect(InternetChecksum.of(zeroed[...]) == 0xb861)
    }

    @Test func piecesGiveTheSameSumAsTheWhole() {
        let bytes: [UInt8] = (0..<101).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var pieces = InternetChecksum()
        pieces.add(bytes[0..<40])
        pieces.add(bytes[40...])
        #expect(pieces.value == InternetChecksum.of(bytes[...]))
    }
}

import Foundation
import Testing

@testable import Summoner

@Suite("Serial log reading")
struct SerialLogReaderTests {
    @Test func theScannerFindsALineSplitAcrossReads() {
        var scanner = ReadyLineScanner(expected: "READY hello-1")
        #expect(!feed(&scanner, Array("boot\nREA".utf8)))
        #expect(!feed(&scanner, Array("DY hello-1\r".utf8)))
        #expect(feed(&scanner, Array("\n".utf8)))
    }

    @Test func theScannerIgnoresLongerLinesAndPrefixes() {
        var scanner = ReadyLineScanner(expected: "READY a-1")
        #expect(!feed(&scanner, Array("READY a-1 and more\nxREADY a-1\nREADY a-12\nREADY a-1\r\r\n".utf8)))
        #expect(!feed(&scanner, Array("READY a-1".utf8)), "not terminated yet")
        scanner.reset()
        #expect(!feed(&scanner, Array("\n".utf8)), "a truncated file forgets the partial line")
        #expect(feed(&scanner, Array("READY a-1\n".utf8)))
    }

    @Test func theReaderReturnsOnlyWhatWasAppended() throws {
        let path = NSTemporaryDirectory() + "grow-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = GrowingFileReader(path: path)
        #expect(reader.readAppended().bytes.isEmpty, "no file yet")
        FileManager.default.createFile(atPath: path, contents: Data())
        #expect(reader.readAppended().bytes.isEmpty, "empty file")
        try append("abc", to: path)
        #expect(reader.readAppended().bytes == Array("abc".utf8))
        try append("de", to: path)
        #expect(reader.readAppended().bytes == Array("de".utf8))
        #expect(reader.readAppended().bytes.isEmpty)

        // Truncated in place (QEMU opens a file log with O_TRUNC): read again from the start.
        let truncated = open(path, O_WRONLY | O_TRUNC)
        close(truncated)
        try append("x", to: path)
        let afterTruncation = reader.readAppended()
        #expect(afterTruncation.restarted)
        #expect(afterTruncation.bytes == Array("x".utf8))

        // Replaced by a new file: reopened.
        try FileManager.default.removeItem(atPath: path)
        FileManager.default.createFile(atPath: path, contents: Data("new\n".utf8))
        let afterReplacement = reader.readAppended()
        #expect(afterReplacement.restarted)
        #expect(afterReplacement.bytes == Array("new\n".utf8))
    }

    /// Regression: reading an empty log through Foundation leaked about 4 KiB a time (12 KB per
    /// summon in summonerd). 5000 polls of an empty file must not grow anonymous memory by
    /// anything near the 20 MB that leak would cost.
    @Test func pollingAnEmptyLogDoesNotGrowMemory() throws {
        let path = NSTemporaryDirectory() + "empty-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let before = try anonymousMemoryKiB()
        for _ in 0..<5000 {
            #expect(GrowingFileReader(path: path).readAppended().bytes.isEmpty)
        }
        let grown = try anonymousMemoryKiB() - before
        #expect(grown < 4096, "anonymous memory grew by \(grown) KiB over 5000 polls")
    }

    private func feed(_ scanner: inout ReadyLineScanner, _ bytes: [UInt8]) -> Bool { scanner.feed(bytes) }

    private func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }

    private func anonymousMemoryKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }
}

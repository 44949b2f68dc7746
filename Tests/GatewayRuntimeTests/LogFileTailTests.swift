import Foundation
import TestSupport
import Testing

@testable import GatewayRuntime

/// Reading a log incrementally: from where the last read ended, a half-written line kept
/// until its line break, and from the start again after rotation or truncation.
@Suite struct LogFileTailTests {
    @Test func readsOnlyWhatWasAppendedAndWaitsForTheLineBreak() throws {
        let folder = try TemporaryFolder("kgate-tail")
        let path = folder.path + "/access.log"
        try "one\ntwo\n".write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogFileTail(path: path)
        #expect(tail.readNew() == ["one", "two"])
        #expect(tail.readNew() == [])
        try append("thr", to: path)
        #expect(tail.readNew() == [])
        try append("ee\nfour\n", to: path)
        #expect(tail.readNew() == ["three", "four"])
    }

    @Test func startsOverWhenTheFileIsTruncatedOrRotated() throws {
        let folder = try TemporaryFolder("kgate-tail")
        let path = folder.path + "/access.log"
        try "a long first line\nsecond\n".write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogFileTail(path: path)
        #expect(tail.readNew().count == 2)
        // Truncated in place (copytruncate), then written again: shorter than the offset.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try append("after truncation\n", to: path)
        #expect(tail.readNew() == ["after truncation"])
        // Rotated: renamed away and a new file made in its place (another inode).
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try "new file, line one\nline two of a longer new file\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(tail.readNew() == ["new file, line one", "line two of a longer new file"])
        try FileManager.default.removeItem(atPath: path)
        #expect(tail.readNew() == [])
    }

    @Test func findsTheLastLinesOfALargeLogWithoutReadingItAll() throws {
        let folder = try TemporaryFolder("kgate-tail")
        let path = folder.path + "/access.log"
        let lines = (0..<2000).map { "line \($0) " + String(repeating: "x", count: 100) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogFileTail(path: path)
        tail.skip(toLast: 1000)
        let read = tail.readNew()
        // 1000 bytes hold 9 whole lines of 110 bytes; the cut one before them is dropped.
        #expect(read == Array(lines.suffix(9)))
        try append("next\n", to: path)
        #expect(tail.readNew() == ["next"])
        let short = LogFileTail(path: path)
        short.skip(toLast: 1 << 20)  // larger than the file: read from the start
        #expect(short.readNew().count == 2001)
    }

    @Test func findsTheLinesOfAWindowByBisectingTheLog() throws {
        let folder = try TemporaryFolder("kgate-tail")
        let path = folder.path + "/access.log"
        // 20,000 lines a second apart, 60 bytes each: 1.2 MB.
        let lines = (0..<20_000).map { "\(1_000_000 + $0) " + String(repeating: "y", count: 52) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogFileTail(path: path)
        tail.skip(toTime: 1_019_000) { line in line.split(separator: " ").first.flatMap { Double($0) } }
        let read = tail.readNew()
        // Every line from the start time on, and no more than 64 KiB of older ones.
        #expect(read.last == lines.last)
        #expect(read.contains(lines[19_000]))
        #expect(read.count >= 1000 && read.count <= 1000 + 65_536 / 60 + 1, "\(read.count)")
        let written = Set(lines)
        #expect(read.allSatisfy { written.contains($0) })
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }
}

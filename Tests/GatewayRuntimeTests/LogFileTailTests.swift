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
        var tail = LogFileTail(path: path)
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
        var tail = LogFileTail(path: path)
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

    private func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }
}

import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// Following the local gateway's logs as `tail -F` does, woken by inotify: lines appended
/// are seen, a truncated or rotated file is followed from its new start, and no line is
/// read twice. Real files in a temporary folder; every wait is for a condition.
@Suite struct LogFollowTests {
    @Test func followsAppendedLinesTruncationAndRotationReadingNothingTwice() async throws {
        let folder = try TemporaryFolder("kgate-follow")
        let layout = NginxLayout(folder: folder.path)
        try FileManager.default.createDirectory(atPath: layout.logsFolder, withIntermediateDirectories: true)
        let path = layout.accessLog(project: "demo")
        try "old 1\nold 2\n".write(toFile: path, atomically: false, encoding: .utf8)
        let activity = LocalGatewayActivity(runtimeFolder: folder.path)
        let seen = SeenLines()
        let reading = Task {
            for await event in activity.logs(project: "demo", tail: 10, since: nil, follow: true) {
                if case .line(let line) = event { seen.add(line.text) }
            }
        }
        defer { reading.cancel() }
        #expect(await eventually { seen.lines == ["old 1", "old 2"] }, "\(seen.lines)")

        // Appended, a line in two writes.
        try append("new 1\nne", to: path)
        try append("w 2\n", to: path)
        #expect(await eventually { seen.lines.suffix(2) == ["new 1", "new 2"] }, "\(seen.lines)")

        // Truncated in place (copytruncate) and written again: read from its start.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try append("after truncation\n", to: path)
        #expect(await eventually { seen.lines.last == "after truncation" }, "\(seen.lines)")

        // Rotated: a line still written into the renamed file (nginx before it reopens),
        // then a new file in its place. Both are read, once each.
        let writer = try #require(FileHandle(forWritingAtPath: path))
        writer.seekToEndOfFile()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        writer.write(Data("late line of the old file\n".utf8))
        try "first of the new file\n".write(toFile: path, atomically: false, encoding: .utf8)
        try append("second of the new file\n", to: path)
        writer.write(Data("later line of the old file\n".utf8))
        try writer.close()
        let expected = [
            "old 1", "old 2", "new 1", "new 2", "after truncation", "late line of the old file", "first of the new file",
            "second of the new file", "later line of the old file",
        ]
        #expect(await eventually { Set(seen.lines) == Set(expected) }, "\(seen.lines)")
        #expect(seen.lines.count == expected.count, "\(seen.lines)")
        // Removed and made again (a rotation that deletes): followed from the start.
        try FileManager.default.removeItem(atPath: path)
        try "recreated\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(await eventually { seen.lines.last == "recreated" }, "\(seen.lines)")
        #expect(seen.lines.count == expected.count + 1, "\(seen.lines)")
    }

    @Test func aBurstOfWritesWakesTheFollowerAFewTimesNotOncePerLine() throws {
        let folder = try TemporaryFolder("kgate-follow")
        let path = folder.path + "/access-demo.log"
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        let changes = LogFolderChanges(folder: folder.path, names: ["access-demo.log"], coalescing: .milliseconds(200))
        #expect(changes.usesInotify)
        let tail = LogFileTail(path: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        handle.write(Data("line 0\n".utf8))
        // The first write wakes at once; the 199 after it, written while the follower
        // sleeps out its coalescing interval, wake it once more.
        #expect(changes.wait())
        var read = tail.readNew()
        for index in 1..<200 { handle.write(Data("line \(index)\n".utf8)) }
        #expect(changes.wait())
        read += tail.readNew()
        #expect(read == (0..<200).map { "line \($0)" })
        // A write to a file it does not follow does not wake it; stopping does.
        try "other\n".write(toFile: folder.path + "/access-other.log", atomically: false, encoding: .utf8)
        changes.stop()
        #expect(!changes.wait())
    }

    @Test func readsTheRotatedFilesPartOfTheWindowFirst() throws {
        let folder = try TemporaryFolder("kgate-follow")
        let path = folder.path + "/access-demo.log"
        let time: (Substring) -> Double? = { line in line.split(separator: " ").first.flatMap { Double($0) } }
        try (100..<110).map { "\($0) older" }.joined(separator: "\n").appending("\n").write(toFile: path + ".1", atomically: false, encoding: .utf8)
        try (110..<115).map { "\($0) newer" }.joined(separator: "\n").appending("\n").write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogFileTail(path: path)
        tail.skip(toTime: 105, time: time)
        let read = tail.readNew()
        #expect(read.suffix(5) == (110..<115).map { "\($0) newer" }[...])
        #expect(read.prefix(10) == (100..<110).map { "\($0) older" }[...], "the window starts in the rotated file: \(read)")
        // A window inside the current file does not read the rotated one.
        let recent = LogFileTail(path: path)
        recent.skip(toTime: 111, time: time)
        #expect(recent.readNew() == (110..<115).map { "\($0) newer" })
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }
}

/// The lines a follower delivered, in order.
private final class SeenLines: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []

    func add(_ line: String) { lock.withLock { all.append(line) } }
    var lines: [String] { lock.withLock { all } }
}

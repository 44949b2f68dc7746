import Foundation
import Testing
import TestSupport

@testable import GatewayStore

/// `FolderWatcher.caughtUp`: what a writer under the workspace lock relies on to trust the
/// watcher's reports instead of looking at every file.
@Suite("Folder watcher catches up with the kernel's queue")
struct FolderWatcherTests {
    @Test("once caught up, every file written before has been reported")
    func caughtUpMeansReported() throws {
        let folder = try TemporaryFolder("watcher")
        let reported = ReportedPaths()
        let watcher = FolderWatcher(root: folder.path) { change in reported.add(change) }
        #expect(watcher.start())
        defer { watcher.stop() }
        for round in 0..<50 {
            let path = "\(folder.path)/file-\(round).yaml"
            try Data("round: \(round)\n".utf8).write(to: URL(fileURLWithPath: path))
            // A generous bound: the test run may keep the watcher's thread waiting.
            #expect(watcher.caughtUp(timeout: .seconds(30)), "round \(round)")
            #expect(reported.contains(path), "round \(round): caught up before the write was reported")
        }
    }

    @Test("events queued but not yet read: not caught up until they are reported")
    func queuedNotRead() throws {
        let folder = try TemporaryFolder("watcher-queued")
        let reported = ReportedPaths()
        let stall = Stall()
        let watcher = FolderWatcher(root: folder.path) { change in reported.add(change) }
        watcher.afterWake = { stall.holdOnce() }
        #expect(watcher.start())
        defer { watcher.stop() }
        defer { stall.release() }
        let path = folder.file("a.yaml")
        try Data("a: 1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(stall.waitUntilHeld())
        // The thread woke for the event and has not read it: the kernel still holds it.
        #expect(!watcher.caughtUp(timeout: .milliseconds(50)))
        stall.release()
        #expect(watcher.caughtUp(timeout: .seconds(30)))
        #expect(reported.contains(path))
    }

    @Test("events read but still being handed on: not caught up until they are")
    func readNotReported() throws {
        let folder = try TemporaryFolder("watcher-handing")
        let reported = ReportedPaths()
        let stall = Stall()
        let watcher = FolderWatcher(root: folder.path) { change in
            stall.holdOnce()
            reported.add(change)
        }
        #expect(watcher.start())
        defer { watcher.stop() }
        defer { stall.release() }
        // Moved in whole: one event, read at once, so that nothing stays queued while it
        // is being handed on.
        let outside = try TemporaryFolder("watcher-outside")
        try outside.write("a.yaml", "a: 1\n")
        let path = folder.file("a.yaml")
        #expect(rename(outside.file("a.yaml"), path) == 0)
        #expect(stall.waitUntilHeld())
        #expect(!watcher.caughtUp(timeout: .milliseconds(50)))
        stall.release()
        #expect(watcher.caughtUp(timeout: .seconds(30)))
        #expect(reported.contains(path))
    }

    @Test("a stopped watcher never says it caught up")
    func stoppedWatcher() async throws {
        let folder = try TemporaryFolder("watcher-stopped")
        let watcher = FolderWatcher(root: folder.path) { _ in }
        #expect(watcher.start())
        watcher.stop()
        let stopped = await eventually { !watcher.caughtUp(timeout: .milliseconds(10)) }
        #expect(stopped)
    }
}

private final class ReportedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []
    private var everything = false

    func add(_ change: FolderWatcher.Change) {
        lock.withLock {
            switch change {
            case .files(let files): paths.formUnion(files)
            case .everything: everything = true
            }
        }
    }

    func contains(_ path: String) -> Bool { lock.withLock { everything || paths.contains(path) } }
}

/// Holds the watcher's thread once, until the test releases it.
private final class Stall: @unchecked Sendable {
    private let condition = NSCondition()
    private var used = false
    private var held = false
    private var released = false

    func holdOnce() {
        condition.lock()
        defer { condition.unlock() }
        guard !used else { return }
        used = true
        held = true
        condition.broadcast()
        while !released { condition.wait() }
    }

    func waitUntilHeld() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(30)
        while !held { if !condition.wait(until: deadline) { return held } }
        return true
    }

    func release() {
        condition.lock()
        released = true
        condition.broadcast()
        condition.unlock()
    }
}

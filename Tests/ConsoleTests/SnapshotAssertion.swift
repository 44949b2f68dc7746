import Foundation
import Terminal
import TestSupport
import Testing

/// Compares a screen's text with `Snapshots/<name>.txt` beside this file. With
/// `KGATE_RECORD_SNAPSHOTS=1` it writes the file instead, and fails so that a recording
/// run is never mistaken for a passing one.
func assertSnapshot(
    _ screen: Screen, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent("\(name).txt")
    let actual = screen.text + "\n"
    if ProcessInfo.processInfo.environment["KGATE_RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("Recorded snapshot \(name); run again without KGATE_RECORD_SNAPSHOTS to check it.", sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record snapshot \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record(
            "No snapshot \(name) at \(file.path); record it with KGATE_RECORD_SNAPSHOTS=1. Actual:\n\(actual)",
            sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    Issue.record("Snapshot \(name) differs (- expected, + actual):\n\(lineDiff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
}

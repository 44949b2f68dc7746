import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `kgate serve` running in the background, its output going to files (a pipe nobody
/// reads would block it once full).
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    private let outPath: String
    private let errPath: String

    init(arguments: [String], folder: TemporaryFolder, environment: [String: String] = [:]) throws {
        outPath = folder.file(".serve-stdout")
        errPath = folder.file(".serve-stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: KGateProcess.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
    var output: String { "--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Polls stdout until it holds `text`, or `seconds` pass or kgate ends.
    func waitForOutput(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            guard process.isRunning else { return stdout.contains(text) }
            usleep(20_000)
        }
        return false
    }

    func terminate() { Glibc.kill(process.processIdentifier, SIGTERM) }

    /// The exit status, or nil if it is still running after `seconds`.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Last resort for a failed test: SIGTERM (kgate then stops nginx), SIGKILL if ignored.
    func stop() {
        guard process.isRunning else { return }
        terminate()
        if wait(seconds: 10) == nil { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

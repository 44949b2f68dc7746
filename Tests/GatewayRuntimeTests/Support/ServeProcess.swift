import ChildProcess
import Foundation
import Glibc
import TestSupport

/// `kgate serve` running in the background, its output going to files (a pipe nobody
/// reads would block it once full). It leads a process group of its own, so that `stop`
/// also ends the nginx it started when kgate could not, and a failed test leaves nothing.
final class ServeProcess: Sendable {
    private let child: ChildProcess
    private let outPath: String
    private let errPath: String

    init(arguments: [String], folder: TemporaryFolder, environment: [String: String] = [:]) throws {
        outPath = folder.file(".serve-stdout")
        errPath = folder.file(".serve-stderr")
        let inherited = ProcessInfo.processInfo.environment
        var command = ChildCommand(KGateProcess.binary, arguments, environment: inherited.merging(environment) { _, new in new })
        command.standardOutput = .file(outPath)
        command.standardError = .file(errPath)
        command.newProcessGroup = true
        child = try ChildProcess.start(command)
    }

    deinit { stop() }

    var isRunning: Bool { child.isRunning }
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
    var output: String { "--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Polls stdout until it holds `text`, or `seconds` pass or kgate ends.
    func waitForOutput(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            guard child.isRunning else { return stdout.contains(text) }
            usleep(20_000)
        }
        return false
    }

    /// SIGTERM to kgate alone, as an operator's `kill` would: kgate stops its nginx itself.
    func terminate() { child.signal(SIGTERM, toGroup: false) }

    /// The exit status, or nil if it is still running after `seconds`.
    func wait(seconds: Double) -> Int32? {
        switch child.wait(timeout: seconds) {
        case .exited(let status)?: status
        case .signalled(let signal)?: 128 + signal
        case nil: nil
        }
    }

    /// Last resort for a failed test: SIGTERM to kgate (it then stops nginx), SIGKILL to
    /// the whole group when it is ignored, and to anything of the group left behind.
    func stop() {
        if child.isRunning {
            terminate()
            _ = wait(seconds: 10)
        }
        child.signal(SIGKILL)
        _ = wait(seconds: 10)
    }
}

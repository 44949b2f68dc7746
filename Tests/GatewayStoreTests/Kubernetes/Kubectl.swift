import ChildProcess
import Foundation
import TestSupport

/// The real `kubectl`, run as the reference for what kgate must do with a kubeconfig: its
/// verdict (works, or refuses and why) and the requests it sends to the test API server.
/// A machine without kubectl fails these tests with that reason; `scripts/test` installs it.
enum Kubectl {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "kubectl is not on PATH (scripts/test installs the Debian package kubectl)" }
    }

    /// Runs `kubectl --kubeconfig FILE ARGS` with a HOME of its own (its caches go there),
    /// for at most `timeout` seconds (a watch runs until then, and is then stopped).
    static func run(kubeconfig: String, _ arguments: [String], home: TemporaryFolder, timeout: Double = 60) throws
        -> ChildProcess.Outcome
    {
        var command = ChildCommand(
            try path(), ["--kubeconfig", kubeconfig, "--request-timeout=20s"] + arguments,
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
        command.standardOutput = .capture
        command.standardError = .capture
        return try ChildProcess.run(command, timeout: timeout)
    }

    /// Starts a kubectl that runs until stopped (a watch), its output into `output` and
    /// `output.err`; the caller stops it.
    static func start(kubeconfig: String, _ arguments: [String], home: TemporaryFolder, output: String) throws -> ChildProcess {
        var command = ChildCommand(
            try path(), ["--kubeconfig", kubeconfig] + arguments, environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
        command.standardOutput = .file(output)
        command.standardError = .file(output + ".err")
        return try ChildProcess.start(command)
    }

    static func path() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/kubectl") {
            return "\(directory)/kubectl"
        }
        throw Missing()
    }
}

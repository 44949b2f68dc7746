import ChildProcess
import Foundation

/// Runs the built `kgate` binary, as an operator's shell would.
public enum KGateProcess {
    public struct Result: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// The folder the build put its products in (beside the test bundle).
    public static var productsFolder: URL {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.deletingLastPathComponent()
        // On Linux the test runner is `<products>/<package>PackageTests.xctest`.
        if folder.pathExtension == "xctest" { folder = folder.deletingLastPathComponent() }
        return folder
    }

    public static var binary: String { productsFolder.appendingPathComponent("kgate").path }

    /// Runs `kgate arguments…` with `input` on standard input, waiting for it to finish
    /// (at most `timeout` seconds: a hung kgate is stopped and reported, never waited on
    /// forever); `executable` runs another program instead (`setpriv … kgate` to run as
    /// another user).
    @discardableResult
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
        executable: String? = nil, timeout: Double = 120
    ) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env.merge(environment) { _, new in new }
        var command = ChildCommand(executable ?? binary, arguments, environment: env)
        command.standardInput = .bytes(Array((input ?? "").utf8))
        command.standardOutput = .capture
        command.standardError = .capture
        let outcome = try ChildProcess.run(command, timeout: timeout)
        let status: Int32
        switch outcome.termination {
        case .exited(let code)?: status = code
        case .signalled(let signal)?: status = 128 + signal
        case nil: throw Failure("kgate \(arguments.joined(separator: " ")) still ran after \(timeout) s and was stopped:\n\(outcome)")
        }
        return Result(status: status, stdout: outcome.outputText, stderr: outcome.errorText)
    }
}

/// A temporary folder removed when the value is dropped.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init(_ name: String = "kgate") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ relative: String) -> String { "\(path)/\(relative)" }

    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: file(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    public func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: file(relative)).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension TemporaryFolder {
    /// A temporary folder holding the demo workspace in `ws/`, made by the built binary
    /// (`kgate init --demo`), as an operator's first start makes it.
    public static func withDemoWorkspace(_ name: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(name)
        let result = try KGateProcess.run(["init", "--demo", "--workspace", folder.workspace])
        guard result.status == 0 else { throw KGateProcess.Failure("kgate init --demo failed:\n\(result)") }
        return folder
    }

    /// The workspace of `withDemoWorkspace`.
    public var workspace: String { file("ws") }
}

extension KGateProcess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}

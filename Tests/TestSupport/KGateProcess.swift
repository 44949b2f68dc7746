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

    /// Runs `kgate arguments…` with `input` on standard input, waiting for it to finish;
    /// `executable` runs another program instead (`setpriv … kgate` to run as another user).
    @discardableResult
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so that a full pipe never blocks kgate.
        let group = DispatchGroup()
        let box = OutputBox()
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                box.set(String(decoding: data, as: UTF8.self), isError: isError)
                group.leave()
            }
        }
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: box.out, stderr: box.err)
    }
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values = ["", ""]
    func set(_ text: String, isError: Bool) { lock.withLock { values[isError ? 1 : 0] = text } }
    var out: String { lock.withLock { values[0] } }
    var err: String { lock.withLock { values[1] } }
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

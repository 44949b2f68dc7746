/// What to run as a child process, and where its standard streams go.
///
///     var command = ChildCommand("/usr/bin/openssl", ["version"])
///     command.standardOutput = .capture
///     let outcome = try ChildProcess.run(command, timeout: .seconds(30))
public struct ChildCommand: Sendable {
    public enum Input: Sendable {
        /// `/dev/null`: a child never waits on a terminal it does not own.
        case null
        /// These bytes, then end of file.
        case bytes([UInt8])
        /// kgate's own standard input.
        case inherit
    }

    public enum Output: Sendable {
        case null
        /// Kept in memory, read by `ChildProcess.output()`.
        case capture
        /// kgate's own stream of the same number.
        case inherit
        /// Written to this file, created or truncated.
        case file(String)
    }

    /// A path, or a bare name looked up on `PATH` (as a shell does).
    public var executable: String
    public var arguments: [String]
    /// The whole environment of the child; nil gives it kgate's.
    public var environment: [String: String]?
    public var standardInput: Input = .null
    public var standardOutput: Output = .null
    public var standardError: Output = .inherit
    /// The child leads a process group of its own, so that `signal` and `stop` reach
    /// everything it starts (a plugin's helpers, a shell's commands) and a Ctrl-C meant
    /// for kgate's terminal does not.
    public var newProcessGroup = false
    /// A terminal (a pseudo-terminal's slave path) the child gets as 0, 1 and 2 and as its
    /// controlling terminal, in a session of its own: so resizes reach it as SIGWINCH and a
    /// hang-up as SIGHUP, as under sshd. The standard stream settings are then ignored.
    public var terminal: String?

    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }
}

/// How a child ended.
public enum Termination: Hashable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }
}

/// A child that could not be started.
public struct ChildProcessError: Error, Hashable, Sendable, CustomStringConvertible {
    public var executable: String
    public var errno: Int32
    public var reason: String

    public var description: String { "cannot run \(executable): \(reason)" }
}

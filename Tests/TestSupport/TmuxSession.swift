import ChildProcess
import Foundation
import Glibc

/// A real terminal for end-to-end tests: tmux runs a command in a pane of a given size;
/// the test types with `send` and reads the screen with `screen`, waiting for text to
/// appear rather than sleeping.
public final class TmuxSession: @unchecked Sendable {
    public let socket: String
    public let width: Int
    public let height: Int

    /// Starts `command` (run by `sh -c`) in a detached session. The pane stays after the
    /// command exits, so that what it left on the terminal can be read: the shell then
    /// sleeps rather than ends, since tmux may drop the last lines a pane wrote just
    /// before it died from what `capture-pane` returns.
    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        socket = "kgate-test-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        server = try Self.startServer(socket: socket)
        let exports = environment.map { "export \($0.key)=\(TmuxSession.quote($0.value)); " }.joined()
        do {
            try tmux(["new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", "sh", "-c", exports + command + "\nexec sleep infinity"])
            try tmux(["set-option", "-t", "main", "remain-on-exit", "on"])
            try tmux(["set-option", "-t", "main", "status", "off"])
        } catch {
            Self.end(server: server, socket: socket)
            throw error
        }
    }

    /// The tmux server of this session. It runs in the foreground (`tmux -D`) as this
    /// process's own child rather than as a daemon, so that `deinit` both ends it and reaps
    /// it: a daemonized server is handed to PID 1 and, once ended, may stay in the process
    /// table as `[tmux: server] <defunct>` for as long as PID 1 does not reap it.
    private let server: ChildProcess

    /// The server's pid.
    public var serverPID: pid_t { server.pid }

    /// Ends the server (and the command in it) whether the test passed or failed: politely
    /// with `kill-server`, then SIGTERM, then SIGKILL, waiting until it is reaped.
    deinit { Self.end(server: server, socket: socket) }

    /// Starts `tmux -D` and waits until its socket accepts clients (checked every 10 ms,
    /// up to 10 s); a server that exits or never listens is an error.
    private static func startServer(socket: String) throws -> ChildProcess {
        var command = ChildCommand("/usr/bin/tmux", ["-D", "-L", socket, "-f", "/dev/null"])
        command.standardOutput = .null
        command.standardError = .null
        command.newProcessGroup = true
        let server = try ChildProcess.start(command)
        for _ in 0..<1000 {
            if !server.isRunning {
                throw TmuxError.failed("tmux -D -L \(socket) ended at start: \(server.wait(timeout: 0).map(String.init(describing:)) ?? "?")")
            }
            // `show-options -g` needs a server but, unlike `start-server`, never starts one of
            // its own: it succeeds once this server listens.
            if let probe = try? ChildProcess.run(tmuxCommand(socket: socket, ["show-options", "-g", "exit-empty"], capturing: true), timeout: 10),
                probe.succeeded
            {
                return server
            }
            usleep(10_000)
        }
        end(server: server, socket: socket)
        throw TmuxError.failed("tmux -D -L \(socket) did not listen within 10 s")
    }

    private static func end(server: ChildProcess, socket: String) {
        if server.isRunning {
            _ = try? ChildProcess.run(tmuxCommand(socket: socket, ["kill-server"], capturing: false), timeout: 10)
        }
        if server.wait(timeout: 5) == nil { _ = server.stop(grace: 5) }
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `Tab`, `BTab`, `Up`, `C-c`, `q`).
    public func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Types `text` literally.
    public func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-l", text])
    }

    /// The visible screen, one line a row.
    public func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "main"])
    }

    /// A tmux format of the pane, such as `#{alternate_on}` or `#{pane_dead}`.
    public func paneFormat(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "main", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until `condition` holds for the screen, checking every 20 ms, up to `timeout`
    /// seconds; returns the screen, or throws with the last screen seen.
    @discardableResult
    public func waitFor(
        timeout: Double = 10, _ description: String, _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(20_000)
        }
        throw TmuxError.timeout("waited \(timeout)s for \(description); the screen was:\n\(last)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        try waitFor(timeout: timeout, "\"\(text)\"") { $0.contains(text) }
    }

    /// Runs tmux through `ChildProcess`: a clean signal mask (a server that inherited a
    /// blocked one ignores SIGTERM) and none of our descriptors (the server outlives the
    /// call, and would hold open what other tests wait on).
    @discardableResult
    private func tmux(capturing: Bool = true, _ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.run(Self.tmuxCommand(socket: socket, arguments, capturing: capturing), timeout: 30)
        guard outcome.succeeded else {
            throw TmuxError.failed("tmux \(arguments.joined(separator: " ")): \(outcome)")
        }
        return outcome.outputText
    }

    /// Not captured for `new-session`: the server it forks would hold a captured pipe open.
    private static func tmuxCommand(socket: String, _ arguments: [String], capturing: Bool) -> ChildCommand {
        var command = ChildCommand("/usr/bin/tmux", ["-L", socket] + arguments)
        command.standardOutput = capturing ? .capture : .null
        command.standardError = capturing ? .capture : .null
        return command
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

public enum TmuxError: Error, CustomStringConvertible {
    case timeout(String)
    case failed(String)

    public var description: String {
        switch self {
        case .timeout(let s), .failed(let s): s
        }
    }
}

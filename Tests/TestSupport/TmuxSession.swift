import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real terminal for end-to-end tests: tmux runs a command in a pane of a given size;
/// the test types with `send` and reads the screen with `screen`, waiting for text to
/// appear rather than sleeping.
public final class TmuxSession: @unchecked Sendable {
    public let socket: String
    public let width: Int
    public let height: Int

    /// Starts `command` (run by `sh -c`) in a detached session. The pane stays after the
    /// command exits, so that what it left on the terminal can be read.
    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        socket = "kgate-test-\(UUID().uuidString.prefix(8))"
        self.width = width
        self.height = height
        let exports = environment.map { "export \($0.key)=\(TmuxSession.quote($0.value)); " }.joined()
        // Not captured: the tmux server this starts would hold a captured pipe open forever.
        try tmux(capturing: false, ["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", "sh", "-c", exports + command])
        try tmux(["set-option", "-t", "main", "remain-on-exit", "on"])
        try tmux(["set-option", "-t", "main", "status", "off"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

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

    /// Runs tmux with posix_spawn rather than Foundation's Process: Process learns that a
    /// child exited through a descriptor the child inherits, and the tmux server that
    /// `new-session` forks would keep it open, so the wait would never end.
    @discardableResult
    private func tmux(capturing: Bool = true, _ arguments: [String]) throws -> String {
        var pipe: [Int32] = [-1, -1]
        guard Glibc.pipe(&pipe) == 0 else { throw TmuxError.failed("pipe: \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capturing {
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        // Nothing else of this process reaches tmux: the server it may fork outlives the
        // test, and would hold open what other tests wait on (a Process's exit notice).
        _ = closeFrom3?(&actions, 3)
        let argv = (["/usr/bin/tmux", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { throw TmuxError.failed("cannot run tmux: \(spawned)") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while capturing {
            let count = read(pipe[0], &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        guard status == 0 else {
            throw TmuxError.failed("tmux \(arguments.joined(separator: " ")) exited with status \(status)")
        }
        return String(decoding: output, as: UTF8.self)
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), hidden from Swift's Glibc
    /// module behind _GNU_SOURCE, so looked up by name.
    private let closeFrom3: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

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

import Foundation

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
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", "sh", "-c", exports + command])
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

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-L", socket] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TmuxError.failed("tmux \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
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

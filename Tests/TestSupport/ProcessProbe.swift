import Foundation
import Glibc

/// Whether a process still runs, for tests that prove they left nothing behind. The
/// processes asked about are usually not the test's children (a tmux server, a plugin's
/// helper), so their end is seen by asking the kernel.
public enum ProcessProbe {
    /// Whether `pid` still runs (a zombie counts as gone: it runs no more code).
    public static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first
        return state != "Z"
    }

    /// Whether `pid` ended within `seconds`, checking every 10 ms.
    public static func waitUntilGone(_ pid: pid_t, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isAlive(pid) {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    /// Waits up to `seconds` for `path` to hold a pid (a test's helper writes its own).
    public static func pid(writtenTo path: String, seconds: Double) -> pid_t? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            usleep(10_000)
        } while Date() < deadline
        return nil
    }
}

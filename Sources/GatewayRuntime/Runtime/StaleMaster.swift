import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An nginx left running from this runtime folder by a kgate that was killed outright
/// (SIGKILL gives no chance to stop the child). It holds the ports, so it is stopped
/// before a new one starts; only a process whose command line names this folder's
/// config is touched, never another nginx.
enum StaleMaster {
    static func stop(pid: Int32?, layout: NginxLayout, log: @Sendable (String) -> Void) async {
        guard let pid, pid > 1, kill(pid, 0) == 0, commandLine(pid).contains(layout.configFile) else { return }
        log("stopping nginx \(pid), left running from \(layout.folder) by an earlier kgate serve")
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }

    /// `/proc/<pid>/cmdline` with its NULs as spaces; empty where /proc is not there.
    private static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}

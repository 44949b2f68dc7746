import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// What /proc and the runtime folder say about the nginx a `kgate serve` runs: read by
/// any kgate, not only the serving one.
enum LocalProcesses {
    static func read(layout: NginxLayout) -> LocalGatewayProcesses {
        let record = (try? Data(contentsOf: URL(fileURLWithPath: layout.reloadRecord))).flatMap(ReloadRecord.init(data:))
        let recorded = (try? String(contentsOfFile: layout.pidFile, encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let master = recorded.flatMap { isNginx($0) ? $0 : nil }
        return LocalGatewayProcesses(
            serving: master != nil && isLocked(layout.folder + "/serve.lock"),
            masterPID: master, workerPIDs: master.map(children) ?? [],
            lastReload: record?.loaded, lastReloadError: record?.error)
    }

    /// Alive, not a zombie, and running nginx (a pid file can outlive its process, and
    /// the number be reused).
    static func isNginx(_ pid: Int32) -> Bool {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            !status.contains("State:\tZ"),
            let commandLine = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        else { return false }
        return String(decoding: commandLine, as: UTF8.self).contains("nginx")
    }

    /// The processes whose parent is `pid`, sorted.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { Readiness.parent(of: $0) == pid && isNginx($0) }.sorted()
    }

    /// Whether a `kgate serve` holds the folder's lock (see `RuntimeLock`).
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}

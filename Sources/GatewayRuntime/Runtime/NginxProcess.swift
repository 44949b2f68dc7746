import Foundation

import ChildProcess
import Glibc

/// The nginx binary and what kgate asks of it: test a config, run a master in the
/// foreground, reload it, stop it. Always with `-p` (the runtime folder as prefix) and
/// `-e` (early errors into that folder too), so nothing outside the folder is touched.
public struct NginxBinary: Hashable, Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    /// `nginx` on PATH or where distributions install it.
    public static func locate() -> NginxBinary? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/nginx" }
            + ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx", "/opt/homebrew/bin/nginx"]
        return candidates.first { access($0, X_OK) == 0 }.map(NginxBinary.init(path:))
    }

    /// Runs `nginx -t`; nil when the config is accepted, else nginx's own message (it
    /// names files and lines, never file contents).
    public func test(configFile: String, layout: NginxLayout) -> String? {
        var command = ChildCommand(path, ["-t", "-q", "-p", layout.folder + "/", "-c", configFile, "-e", "stderr"])
        command.standardError = .capture
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(command, timeout: 60)
        } catch {
            return error.description
        }
        guard !outcome.succeeded else { return nil }
        let text = outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "nginx -t failed: \(outcome.termination.map(\.description) ?? "no answer within 60 s")" : text
    }

    /// Starts the master in the foreground (the config says `daemon off;`), leading a
    /// process group of its own: a Ctrl-C meant for kgate reaches kgate alone, which then
    /// stops nginx, and a stop reaches every worker.
    func start(layout: NginxLayout, onExit: @escaping @Sendable (Int32) -> Void) throws(NginxRefusal) -> NginxMaster {
        var command = ChildCommand(path, ["-p", layout.folder + "/", "-c", layout.configFile, "-e", layout.errorLog])
        command.standardError = .null
        command.newProcessGroup = true
        let child: ChildProcess
        do {
            child = try ChildProcess.start(command)
        } catch {
            throw NginxRefusal(error.description)
        }
        Task.detached {
            switch await child.termination() {
            case .exited(let status)?: onExit(status)
            case .signalled(let signal)?: onExit(128 + signal)
            case nil: break
            }
        }
        return NginxMaster(child: child)
    }
}

/// A running nginx master.
final class NginxMaster: Sendable {
    private let child: ChildProcess

    init(child: ChildProcess) { self.child = child }

    var pid: Int32 { child.pid }
    var isRunning: Bool { child.isRunning }

    /// SIGHUP: nginx re-reads the config, starts new workers and retires the old ones
    /// gracefully; a config it cannot load leaves the old one running.
    func reload() { child.signal(SIGHUP, toGroup: false) }

    /// Has nginx open its log files again by name, after they were renamed: SIGUSR1, nginx's
    /// documented way, when its workers run as this user. Run as root, the workers are
    /// `nobody` and cannot reach the private runtime folder to reopen them (they would keep
    /// writing into the renamed files): SIGHUP then, the same config loaded again, whose
    /// new workers get the new files from the master.
    func reopenLogs() { child.signal(geteuid() == 0 ? SIGHUP : SIGUSR1, toGroup: false) }

    /// SIGTERM (nginx's fast shutdown), then SIGKILL to the whole group if it is still
    /// there at the deadline.
    func stop(within seconds: Double = 10) async {
        guard child.isRunning else { return }
        child.signal(SIGTERM, toGroup: false)
        if await child.termination(within: .milliseconds(Int(seconds * 1000))) == nil {
            child.signal(SIGKILL)
            _ = await child.termination()
        }
    }
}

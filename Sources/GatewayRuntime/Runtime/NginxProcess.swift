import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-q", "-p", layout.folder + "/", "-c", configFile, "-e", "stderr"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "cannot run \(path): \(error.localizedDescription)"
        }
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "nginx -t failed with status \(process.terminationStatus)" : text
    }

    /// Starts the master in the foreground (the config says `daemon off;`).
    func start(layout: NginxLayout, onExit: @escaping @Sendable (Int32) -> Void) throws(NginxRefusal) -> NginxMaster {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-p", layout.folder + "/", "-c", layout.configFile, "-e", layout.errorLog]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { onExit($0.terminationStatus) }
        do {
            try process.run()
        } catch {
            throw NginxRefusal("cannot run \(path): \(error.localizedDescription)")
        }
        return NginxMaster(process: process)
    }
}

/// A running nginx master.
final class NginxMaster: @unchecked Sendable {
    // Process is not Sendable; it is only signalled and asked whether it runs, which
    // Foundation allows from any thread.
    private let process: Process

    init(process: Process) { self.process = process }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// SIGHUP: nginx re-reads the config, starts new workers and retires the old ones
    /// gracefully; a config it cannot load leaves the old one running.
    func reload() { kill(pid, SIGHUP) }

    /// SIGTERM (nginx's fast shutdown), then SIGKILL if it is still there at the deadline.
    func stop(within seconds: Double = 10) async {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}

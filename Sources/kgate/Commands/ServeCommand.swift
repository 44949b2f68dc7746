import ArgumentParser
import Dispatch
import Foundation
import GatewayKit
import GatewayRuntime

#if canImport(Glibc)
    import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the local gateway: nginx on loopback serving project gateways and routes.",
        discussion: """
            Each project's gateway listens on its node ports (http and https) at the listen \
            address, 127.0.0.1 unless told otherwise, and proxies to the addresses the \
            EndpointSlices give. The config follows the workspace: a change is loaded by \
            nginx's reload, and one nginx refuses is reported while the running config \
            stays. Ctrl-C (or SIGTERM) stops nginx.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Serve this project only (default: every project that has a gateway).") var project: String?
    @Flag(help: "Serve every project that has a gateway (the default).") var all = false
    @Option(help: ArgumentHelp("The address to listen on.", valueName: "ip")) var listen = "127.0.0.1"
    @Option(help: "Listen for http here instead of the gateway's node port (with --project).") var httpPort: Int?
    @Option(help: "Listen for https here instead of the gateway's node port (with --project).") var httpsPort: Int?
    @Option(help: ArgumentHelp(
        "Where nginx.conf, TLS files, logs and the pid file go: a new or empty folder, or one kgate used before (default: $XDG_RUNTIME_DIR/kgate/…).",
        valueName: "dir"))
    var runtimeDir: String?
    @Option(help: ArgumentHelp("The nginx binary (default: nginx on PATH or in /usr/sbin).", valueName: "path")) var nginx: String?
    @Option(help: ArgumentHelp(
        "Rotate a log of the runtime folder when it reaches this size (to <name>.1, one kept): 64MiB, 512KiB or bytes.",
        valueName: "size"))
    var rotateLogsAt = "64MiB"

    func validate() throws {
        if all, project != nil { throw ValidationError("--project and --all: give one of them") }
        if project == nil, httpPort != nil || httpsPort != nil {
            throw ValidationError("--http-port and --https-port need --project")
        }
        if LogRotation.limit(rotateLogsAt) == nil {
            throw ValidationError("--rotate-logs-at \(rotateLogsAt): give a size of at least 1KiB, such as 64MiB, 512KiB or a number of bytes")
        }
    }

    /// The runtime folder: `--runtime-dir`, else one per workspace and selection outside
    /// the workspace, so that `serve --project a` and `serve --project b` can run side by
    /// side. `prepare` makes the folders above the default one.
    static func runtimeFolder(_ runtimeDir: String?, workspace: String, project: String?, prepare: Bool) throws -> String {
        if let runtimeDir { return absolute(runtimeDir) }
        do {
            let folder = try RuntimeLocation.folder(
                workspace: workspace, project: project, environment: ProcessInfo.processInfo.environment)
            if prepare { try RuntimeLocation.prepare(folder: folder) }
            return folder
        } catch {
            throw Refusal(error.message)
        }
    }

    func run() async throws {
        let store = try await global.openStore()
        guard let binary = nginx.map(NginxBinary.init(path:)) ?? NginxBinary.locate() else {
            throw Refusal("nginx not found: install it (Debian/Ubuntu: apt-get install nginx-light) or give --nginx PATH")
        }
        let folder = try Self.runtimeFolder(runtimeDir, workspace: global.workspacePath, project: project, prepare: true)
        let gateway = LocalGateway(
            store: store, selection: project.map(LocalGateway.Selection.project) ?? .all,
            listen: NginxListen(address: listen, httpPort: httpPort, httpsPort: httpsPort),
            layout: NginxLayout(folder: folder), nginx: binary, log: Self.log)

        let (events, continuation) = AsyncStream.makeStream(of: ServeEvent.self)
        let signals = Self.watchSignals { continuation.yield(.stop($0)) }
        defer { signals.forEach { $0.cancel() } }
        let plan: NginxPlan
        do {
            plan = try await gateway.start { continuation.yield(.nginxExited($0)) }
        } catch {
            throw Refusal(error.message)
        }
        Self.announce(plan, pid: await gateway.pid, folder: folder)
        // Changes that come while a reload runs make one more reload, not one each.
        let pending = PendingChange()
        let watch = Task {
            for await _ in store.changes() where pending.mark() { continuation.yield(.changed) }
        }
        defer { watch.cancel() }
        let rotation = Task { [limit = LogRotation.limit(rotateLogsAt) ?? LogRotation.defaultLimit] in
            while (try? await Task.sleep(for: LogRotation.checkInterval)) != nil {
                for name in await gateway.rotateLogs(atLeast: limit) { Self.log("rotated logs/\(name) to \(name)\(LogRotation.rotatedSuffix)") }
            }
        }
        defer { rotation.cancel() }

        var served = plan.servedURLs
        for await event in events {
            switch event {
            case .changed:
                // An edit is often several files; let it land before reading.
                try? await Task.sleep(for: LocalGateway.changeSettling)
                pending.clear()
                if let plan = await gateway.reload(), plan.servedURLs != served {
                    served = plan.servedURLs
                    Self.printURLs(served)
                }
            case .stop(let signal):
                Self.log("signal \(signal): stopping nginx")
                await gateway.stop()
                Self.log("stopped")
                return
            case .nginxExited(let status):
                await gateway.stop()
                throw Refusal("nginx exited on its own (status \(status)); see \(NginxLayout(folder: folder).errorLog)")
            }
        }
    }

    /// Whether a change is waiting for the serve loop: set by the watcher, cleared when
    /// the loop reads the workspace.
    private final class PendingChange: @unchecked Sendable {
        private let lock = NSLock()
        private var waiting = false

        /// Marks a change; true when none was waiting, so that the loop must hear of it.
        func mark() -> Bool { lock.withLock { defer { waiting = true }; return !waiting } }
        func clear() { lock.withLock { waiting = false } }
    }

    private enum ServeEvent: Sendable {
        case changed
        case stop(Int32)
        case nginxExited(Int32)
    }

    /// SIGINT, SIGTERM and SIGHUP (the SSH session closed) stop the gateway cleanly:
    /// their default action would leave nginx running without kgate.
    private static func watchSignals(_ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    private static func announce(_ plan: NginxPlan, pid: Int32?, folder: String) {
        for site in plan.sites {
            emit("serving project \(site.project) on \(plan.listenAddress): http \(site.httpPort), https \(site.httpsPort)")
        }
        printURLs(plan.servedURLs)
        emit("nginx \(pid.map(String.init) ?? "-") runs from \(folder); Ctrl-C stops it.")
    }

    private static func printURLs(_ urls: [ServedURL]) {
        if urls.isEmpty { emit("  (no routes yet: every request gets 404)") }
        let width = urls.map(\.url.count).max() ?? 0
        for url in urls {
            emit("  \(url.url.padding(toLength: width, withPad: " ", startingAt: 0))   \(url.hint)")
        }
    }

    private static func log(_ message: String) {
        printError("kgate serve: \(message)")
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

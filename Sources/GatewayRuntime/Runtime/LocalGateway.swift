import Foundation
import GatewayKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local gateway: nginx on loopback serving a workspace's project gateways, kept in
/// step with the workspace.
///
/// The first config is checked with `nginx -t` before nginx starts; a change is loaded by
/// nginx's own reload, which refuses what it cannot load and keeps the running config
/// (`reload`). A refused change is reported and the running config stays. TLS secrets
/// nginx cannot load are left out (their hosts are served over http) rather than
/// stopping the whole gateway.
public actor LocalGateway {
    public enum Selection: Hashable, Sendable {
        case project(String)
        /// Every project that has a gateway, each on its own node ports.
        case all
    }

    private let store: any ObjectStore
    private let selection: Selection
    private let listen: NginxListen
    private let layout: NginxLayout
    private let nginx: NginxBinary
    private let log: @Sendable (String) -> Void
    /// Whether nothing listens at a demo backend's address and port (`DemoBackends`);
    /// a test stands in for the moment between the probe and nginx's bind.
    private let demoPortIsFree: @Sendable (String, Int) -> Bool
    private var master: NginxMaster?
    private var lock: RuntimeLock?
    private var files: RuntimeFiles?
    private var live: NginxPlan?
    private var liveConfig: String?
    private var reportedNotes: Set<String> = []

    public init(
        store: any ObjectStore, selection: Selection, listen: NginxListen = NginxListen(), layout: NginxLayout,
        nginx: NginxBinary, log: @escaping @Sendable (String) -> Void,
        demoPortIsFree: (@Sendable (String, Int) -> Bool)? = nil
    ) {
        self.demoPortIsFree = demoPortIsFree ?? ListenProbe.isFree
        self.store = store
        self.selection = selection
        self.listen = listen
        self.layout = layout
        self.nginx = nginx
        self.log = log
    }

    /// Writes and checks the config, starts nginx and waits (bounded) until it accepts
    /// connections. `onExit` is called if nginx ends on its own.
    public func start(onExit: @escaping @Sendable (Int32) -> Void) async throws(NginxRefusal) -> NginxPlan {
        do {
            return try await launch(onExit: onExit)
        } catch {
            await stop()
            throw error
        }
    }

    private func launch(onExit: @escaping @Sendable (Int32) -> Void) async throws(NginxRefusal) -> NginxPlan {
        try nginx.requireRunnable()
        let files = try RuntimeFiles(layout: layout)
        self.files = files
        lock = try RuntimeLock(files: files)
        await StaleMaster.stop(pid: files.recordedPID, layout: layout, log: log)
        let inventory = try await loadInventory()
        var attempt = 1
        while true {
            let checked = try config(for: inventory, files: files, testedBy: nginx)
            rememberRefused(checked, in: inventory)
            try Self.requireFreePorts(checked.plan)
            try files.writeConfig(checked.text, to: "nginx.conf")
            let exits = ExitGate(onExit)
            let master = try nginx.start(layout: layout, onExit: { exits.pass($0) })
            self.master = master
            live = checked.plan
            liveConfig = checked.text
            do {
                try await awaitReadiness(of: master, plan: checked.plan, files: files)
            } catch {
                // A demo backend's port was free when planned, but another gateway starting
                // at the same moment took it before this nginx could bind it (nginx may still
                // be retrying the bind): plan again, which leaves that backend to the process
                // now listening there. Looked at once this nginx holds no port any more.
                self.master = nil
                live = nil
                liveConfig = nil
                await master.stop()
                let demoPortTaken = checked.plan.demoBackends.contains { !demoPortIsFree($0.address, $0.port) }
                guard attempt < 3, demoPortTaken else { throw error }
                log("a demo backend's port was taken while nginx started; starting again without it")
                attempt += 1
                continue
            }
            report(checked.notes)
            files.writeReloadRecord(ReloadRecord(loaded: Date()))
            exits.open()
            return checked.plan
        }
    }

    /// Polls each site's http port until the kgate-only server answers with a worker of
    /// `master`: then this nginx, not another process on the port, is the one serving.
    private func awaitReadiness(of master: NginxMaster, plan: NginxPlan, files: RuntimeFiles) async throws(NginxRefusal) {
        let deadline = Date().addingTimeInterval(10)
        for site in plan.sites {
            while true {
                let worker = Readiness.workerPID(address: plan.listenAddress, port: site.httpPort)
                if let worker, Readiness.parent(of: worker) == master.pid { break }
                guard master.isRunning, Date() < deadline else {
                    let answer = worker.map { "a process that is not this nginx's worker (pid \($0)) answered" }
                    throw NginxRefusal(
                        "nginx did not start serving on \(plan.listenAddress):\(site.httpPort): \(answer ?? files.errorTail())")
                }
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
    }

    /// How long `serve` lets a change land before it reads the workspace: an edit is often
    /// several files (a kgate write renames them within a few milliseconds), and a later
    /// file still brings another reload, so this only spares a reload of half an edit.
    public static let changeSettling: Duration = .milliseconds(20)

    /// Re-reads the store and, when the config changed and nginx accepts it, switches
    /// nginx to it. Returns the plan now served, or nil when the old config stays.
    ///
    /// The reload is its own test: nginx parses the new config on SIGHUP as `nginx -t`
    /// would, keeps the old one serving when it cannot load it, and says which in its
    /// error log (`ReloadOutcome`). Only a refused config is then tested with `nginx -t`,
    /// to leave out TLS secrets nginx cannot load, as at start, or to report why.
    @discardableResult
    public func reload() async -> NginxPlan? {
        guard let master, master.isRunning, let files else { return nil }
        do {
            let inventory = try await loadInventory()
            let known = refusedSecrets.filter { Self.fingerprint(of: $0.key, in: inventory) == $0.value }
            let candidate = try config(for: inventory, files: files, testedBy: nil, unusable: Set(known.keys))
            guard candidate.text != liveConfig else { return candidate.plan }
            try Self.requireFreePorts(candidate.plan, except: Set((live?.sites ?? []).flatMap { [$0.httpPort, $0.httpsPort] }))
            _ = try files.writeSecrets(candidate.plan.secrets, from: inventory)
            var served = candidate
            if case .refused(let reason) = try await switchTo(candidate, master: master, files: files) {
                guard master.isRunning else { return nil }
                let checked = try config(for: inventory, files: files, testedBy: nginx, unusable: Set(known.keys))
                rememberRefused(checked, in: inventory)
                // `nginx -t` takes what the reload refused (a port taken meanwhile): report that.
                guard checked.text != candidate.text else { throw NginxRefusal("nginx refused the config: \(reason)") }
                if case .refused(let reason) = try await switchTo(checked, master: master, files: files) {
                    throw NginxRefusal("nginx refused the config: \(reason)")
                }
                served = checked
            }
            live = served.plan
            liveConfig = served.text
            report(served.notes)
            files.writeReloadRecord(ReloadRecord(loaded: Date()))
            log("reloaded: \(served.plan.sites.map(\.project).joined(separator: ", "))")
            return served.plan
        } catch {
            // A stop while nginx reloaded is no refusal.
            guard self.master === master else { return nil }
            // nginx.conf stays the config that serves.
            if let liveConfig { try? files.writeConfig(liveConfig, to: "nginx.conf") }
            log("the workspace changed but the gateway keeps its previous config: \(error)")
            var record = files.reloadRecord ?? ReloadRecord(loaded: nil)
            record.error = String(describing: error)
            record.refused = Date()
            files.writeReloadRecord(record)
            return nil
        }
    }

    /// Writes `config` as nginx.conf, signals the master, and waits (bounded) for its
    /// verdict in the error log.
    private func switchTo(_ config: CheckedConfig, master: NginxMaster, files: RuntimeFiles) async throws(NginxRefusal)
        -> ReloadOutcome
    {
        try files.writeConfig(config.text, to: "nginx.conf")
        return try await ReloadOutcome.signal(master, files: files)
    }

    /// The TLS secrets nginx refused, with a fingerprint of their data: a secret stays left
    /// out, without a new `nginx -t`, until its data changes.
    private var refusedSecrets: [SecretReference: Int] = [:]

    private func rememberRefused(_ checked: CheckedConfig, in inventory: Inventory) {
        for secret in checked.refusedSecrets { refusedSecrets[secret] = Self.fingerprint(of: secret, in: inventory) }
    }

    private static func fingerprint(of reference: SecretReference, in inventory: Inventory) -> Int? {
        guard let secret = inventory.secrets.first(where: { $0.namespace == reference.namespace && $0.name == reference.name })
        else { return nil }
        var hasher = Hasher()
        hasher.combine(secret.certificate)
        hasher.combine(secret.key)
        return hasher.finalize()
    }

    /// Rotates the logs that reached `limit` bytes and has nginx reopen them (see
    /// `LogRotation`). Returns the names rotated.
    public func rotateLogs(atLeast limit: Int64) -> [String] {
        guard let master, master.isRunning, let files else { return [] }
        let rotated = files.rotateLogs(atLeast: limit)
        if !rotated.isEmpty { master.reopenLogs() }
        return rotated
    }

    /// Stops nginx (SIGTERM, then SIGKILL after a bounded wait).
    public func stop() async {
        if let master {
            self.master = nil
            await master.stop()
        }
        files?.removeKeyMaterial()
        lock?.release()
        lock = nil
    }

    /// nginx's master process, while it runs.
    public var pid: Int32? { master.flatMap { $0.isRunning ? $0.pid : nil } }

    private func loadInventory() async throws(NginxRefusal) -> Inventory {
        do {
            return try await store.load()
        } catch {
            throw NginxRefusal(error.description)
        }
    }

    /// The plan and config for `inventory`; tested by `nginx -t` when `nginx` is given,
    /// else less the secrets in `unusable` only. A demo backend this nginx already answers
    /// stays answered; a new one only on a free port.
    private func config(
        for inventory: Inventory, files: RuntimeFiles, testedBy nginx: NginxBinary?, unusable: Set<SecretReference> = []
    ) throws(NginxRefusal) -> CheckedConfig {
        let answered = Set((live?.demoBackends ?? []).map { "\($0.address) \($0.port)" })
        let isFree = demoPortIsFree
        return try CheckedConfig.make(
            inventory: inventory, selection: selection, listen: listen, layout: layout, files: files, nginx: nginx,
            unusable: unusable,
            canAnswerDemoBackend: { address, port in answered.contains("\(address) \(port)") || isFree(address, port) })
    }

    /// Tries every port the plan listens on, but those this nginx holds already, so that
    /// a taken one is reported by number before nginx fails on it.
    private static func requireFreePorts(_ plan: NginxPlan, except held: Set<Int> = []) throws(NginxRefusal) {
        for port in plan.sites.flatMap({ [$0.httpPort, $0.httpsPort] }) where !held.contains(port) {
            if let problem = ListenProbe.problem(address: plan.listenAddress, port: port) { throw NginxRefusal(problem) }
        }
    }

    /// Logs each note once per run, so that a reload does not repeat what is known.
    private func report(_ notes: [String]) {
        for note in notes where reportedNotes.insert(note).inserted { log(note) }
    }
}

/// Passes an nginx master's exit on only once its start has succeeded: a master that ends
/// while starting is a failure of `start`, reported (or retried) there, not an exit that
/// would stop `serve` after a retry succeeded.
private final class ExitGate: Sendable {
    private let forward: @Sendable (Int32) -> Void
    private let state = Mutex<(isOpen: Bool, held: Int32?)>((false, nil))

    init(_ forward: @escaping @Sendable (Int32) -> Void) { self.forward = forward }

    func pass(_ status: Int32) {
        let isOpen = state.withLock { state in
            if !state.isOpen { state.held = status }
            return state.isOpen
        }
        if isOpen { forward(status) }
    }

    /// From now on exits pass; one that came while closed passes now.
    func open() {
        let held = state.withLock { state in
            state.isOpen = true
            return state.held
        }
        if let held { forward(held) }
    }
}

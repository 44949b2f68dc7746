import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local gateway: nginx on loopback serving a workspace's project gateways, kept in
/// step with the workspace.
///
/// Every config is written beside the live one and checked with `nginx -t` before it is
/// used; a change nginx refuses is reported and the running config stays. TLS secrets
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
    private var master: NginxMaster?
    private var lock: RuntimeLock?
    private var liveConfig: String?
    private var reportedNotes: Set<String> = []

    public init(
        store: any ObjectStore, selection: Selection, listen: NginxListen = NginxListen(), layout: NginxLayout,
        nginx: NginxBinary, log: @escaping @Sendable (String) -> Void
    ) {
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
        let files = RuntimeFiles(layout: layout)
        try files.prepare()
        lock = try RuntimeLock(layout: layout)
        await StaleMaster.stop(layout: layout, log: log)
        let (plan, config) = try await checkedConfig()
        try files.writeConfig(config, to: layout.configFile)
        let master = try nginx.start(layout: layout, onExit: onExit)
        self.master = master
        liveConfig = config
        guard let site = plan.sites.first else { return plan }
        let deadline = Date().addingTimeInterval(10)
        while !canConnect(address: plan.listenAddress, port: site.httpPort) {
            guard master.isRunning, Date() < deadline else {
                throw NginxRefusal("nginx did not start listening on \(plan.listenAddress):\(site.httpPort): \(errorTail())")
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return plan
    }

    /// Re-reads the store and, when the config changed and nginx accepts it, switches
    /// nginx to it. Returns the plan now served, or nil when the old config stays.
    @discardableResult
    public func reload() async -> NginxPlan? {
        guard let master, master.isRunning else { return nil }
        do {
            let (plan, config) = try await checkedConfig()
            guard config != liveConfig else { return plan }
            try RuntimeFiles(layout: layout).writeConfig(config, to: layout.configFile)
            liveConfig = config
            master.reload()
            log("reloaded: \(plan.sites.map(\.project).joined(separator: ", "))")
            return plan
        } catch {
            log("the workspace changed but the gateway keeps its previous config: \(error)")
            return nil
        }
    }

    /// Stops nginx (SIGTERM, then SIGKILL after a bounded wait).
    public func stop() async {
        if let master {
            self.master = nil
            await master.stop()
        }
        lock?.release()
        lock = nil
    }

    /// nginx's master process, while it runs.
    public var pid: Int32? { master.flatMap { $0.isRunning ? $0.pid : nil } }

    /// The plan and config for the store's current state, accepted by `nginx -t`.
    private func checkedConfig() async throws(NginxRefusal) -> (NginxPlan, String) {
        let inventory: Inventory
        do {
            inventory = try await store.load()
        } catch {
            throw NginxRefusal(error.description)
        }
        let projects: [String]
        switch selection {
        case .project(let name):
            guard inventory.project(name) != nil else { throw NginxRefusal("project \(name) not found") }
            projects = [name]
        case .all:
            let servable = NginxPlan.servableProjects(inventory)
            report(servable.notes)
            guard !servable.projects.isEmpty else {
                throw NginxRefusal("no project has a gateway: set one first (kgate gateway set PROJECT --type NodePort)")
            }
            projects = servable.projects
        }
        let files = RuntimeFiles(layout: layout)
        let candidate = "\(layout.configFile).next"
        var refused: Set<SecretReference> = []
        while true {
            let plan = try NginxPlan.make(projects: projects, inventory: inventory, listen: listen) { secret in
                !refused.contains(SecretReference(namespace: secret.namespace, name: secret.name))
                    && RuntimeFiles.pem(secret.certificate) != nil && RuntimeFiles.pem(secret.key) != nil
            }
            _ = try files.writeSecrets(plan.secrets, from: inventory)
            let config = try NginxConfig.render(plan, layout: layout)
            try files.writeConfig(config, to: candidate)
            defer { unlink(candidate) }
            guard let failure = nginx.test(configFile: candidate, layout: layout) else {
                report(plan.notes)
                return (plan, config)
            }
            // A secret nginx cannot load is the one failure the operator's data can cause
            // that kgate can route around; find which, leave them out, and try again.
            var unusable: [SecretReference] = []
            let probe = "\(layout.folder)/probe.conf"
            for secret in plan.secrets {
                try files.writeConfig(NginxConfig.probe(secret: secret, layout: layout), to: probe)
                if nginx.test(configFile: probe, layout: layout) != nil { unusable.append(secret) }
            }
            unlink(probe)
            guard !unusable.isEmpty else { throw NginxRefusal("nginx refused the config: \(failure)") }
            refused.formUnion(unusable)
        }
    }

    /// Logs each note once per run, so that a reload does not repeat what is known.
    private func report(_ notes: [String]) {
        for note in notes where reportedNotes.insert(note).inserted { log(note) }
    }

    private func errorTail() -> String {
        let text = (try? String(contentsOfFile: layout.errorLog, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").suffix(3)
        return lines.isEmpty ? "no message in \(layout.errorLog)" : lines.joined(separator: "\n")
    }
}

import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The config `serve` runs for a state of the store, decided in one place so that
/// `render --format nginx` prints the same bytes: the projects, the TLS secrets nginx can
/// load (found by `nginx -t`), the demo backends it answers, and every note.
struct CheckedConfig {
    var plan: NginxPlan
    var text: String
    /// What was left out and why, in order, once each.
    var notes: [String]
    /// The TLS secrets left out because nginx could not load them (`unusable` included).
    var refusedSecrets: Set<SecretReference> = []

    /// `files` is where the candidate config and TLS files are tested: the runtime folder
    /// itself for `serve`, a scratch folder for `render`. The text names `layout`'s paths.
    /// Without `nginx` nothing is tested: the config is what the model gives, less the
    /// secrets in `unusable` (those nginx refused before).
    static func make(
        inventory: Inventory, selection: LocalGateway.Selection, listen: NginxListen, layout: NginxLayout,
        files: RuntimeFiles, nginx: NginxBinary?, unusable: Set<SecretReference> = [],
        canAnswerDemoBackend: (String, Int) -> Bool
    ) throws(NginxRefusal) -> CheckedConfig {
        var notes: [String] = []
        let projects: [String]
        switch selection {
        case .project(let name):
            guard inventory.project(name) != nil else { throw NginxRefusal("project \(name) not found") }
            projects = [name]
        case .all:
            let servable = NginxPlan.servableProjects(inventory)
            notes += servable.notes
            guard !servable.projects.isEmpty else {
                throw NginxRefusal("no project has a gateway: set one first (kgate gateway set PROJECT --type NodePort)")
            }
            projects = servable.projects
        }
        try files.prepareAccessLogs(projects: projects)
        let candidate = "nginx.conf.next"
        var refused = unusable
        while true {
            let plan = try NginxPlan.make(
                projects: projects, inventory: inventory, listen: listen,
                usableSecret: { secret in
                    !refused.contains(SecretReference(namespace: secret.namespace, name: secret.name))
                        && RuntimeFiles.pem(secret.certificate) != nil && RuntimeFiles.pem(secret.key) != nil
                }, canAnswerDemoBackend: canAnswerDemoBackend)
            let text = try NginxConfig.render(plan, layout: layout)
            let checked = CheckedConfig(plan: plan, text: text, notes: notes + plan.notes, refusedSecrets: refused)
            guard let nginx else { return checked }
            _ = try files.writeSecrets(plan.secrets, from: inventory)
            // `serve` tests in the folder it runs from: the same text, rendered once.
            try files.writeConfig(files.layout == layout ? text : NginxConfig.render(plan, layout: files.layout), to: candidate)
            defer { files.remove(candidate) }
            guard let failure = nginx.test(configFile: files.layout.folder + "/" + candidate, layout: files.layout) else {
                return checked
            }
            // A secret nginx cannot load is the one failure the operator's data can cause
            // that kgate can route around; find which, leave them out, and try again.
            var unusable: [SecretReference] = []
            for secret in plan.secrets {
                try files.writeConfig(NginxConfig.probe(secret: secret, layout: files.layout), to: "probe.conf")
                if nginx.test(configFile: files.layout.folder + "/probe.conf", layout: files.layout) != nil {
                    unusable.append(secret)
                }
            }
            files.remove("probe.conf")
            guard !unusable.isEmpty else { throw NginxRefusal("nginx refused the config: \(failure)") }
            refused.formUnion(unusable)
        }
    }
}

extension LocalGateway {
    /// The config `serve` would run now with these options, and its notes: what
    /// `render --format nginx` prints. TLS secrets are tried in a private scratch folder
    /// that is removed before this returns; the text names `layout`'s paths.
    public static func render(
        store: any ObjectStore, selection: Selection, listen: NginxListen, layout: NginxLayout, nginx: NginxBinary?
    ) async throws(NginxRefusal) -> (config: String, notes: [String]) {
        let inventory: Inventory
        do {
            inventory = try await store.load()
        } catch {
            throw NginxRefusal(error.description)
        }
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let checked = try CheckedConfig.make(
            inventory: inventory, selection: selection, listen: listen, layout: layout,
            files: RuntimeFiles(layout: NginxLayout(folder: scratch)), nginx: nginx,
            canAnswerDemoBackend: ListenProbe.isFree)
        return (checked.text, checked.notes)
    }

    /// A new folder of mode 0700 (mkdtemp makes it so) in the temporary folder.
    private static func scratchFolder() throws(NginxRefusal) -> String {
        var template = Array((NSTemporaryDirectory() + "/kgate-render-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw NginxRefusal("cannot make a scratch folder: \(String(cString: strerror(errno)))") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

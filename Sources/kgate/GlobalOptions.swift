import ArgumentParser
import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore
import Glibc

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace folder (default: $KGATE_WORKSPACE, else $XDG_DATA_HOME/kgate/workspace).", valueName: "dir"))
    var workspace: String?

    @Option(name: .long, help: ArgumentHelp("Use a cluster through this kubeconfig instead of a workspace.", valueName: "file"))
    var kubeconfig: String?

    @Option(name: .long, help: "The kubeconfig context to use.")
    var context: String?

    @Flag(name: .long, help: "Refuse every write.")
    var readOnly = false

    @Flag(name: .long, help: "No colors (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "ASCII only, for terminals without Unicode.")
    var ascii = false

    func validate() throws {
        if workspace?.isEmpty == true {
            throw ValidationError("--workspace: must name a folder, not be empty")
        }
    }

    var monochrome: Bool {
        noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The workspace folder these options name.
    var workspacePath: String {
        let environment = ProcessInfo.processInfo.environment
        if let workspace { return Self.absolute(workspace) }
        if let path = environment["KGATE_WORKSPACE"], !path.isEmpty { return Self.absolute(path) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(environment["HOME"] ?? NSHomeDirectory())/.local/share"
        return "\(data)/kgate/workspace"
    }

    /// Whether these options name a cluster: `--kubeconfig` or `--context`. The workspace
    /// stays the default even when `KUBECONFIG` is set (an operator's shell usually has it),
    /// so that kgate never writes to a cluster nobody asked it to; `--context` then reads
    /// the kubeconfig files `KUBECONFIG` lists, as kubectl does.
    var usesCluster: Bool { kubeconfig != nil || context != nil }

    /// The store these options name: a cluster through the kubeconfig, or the workspace.
    /// A missing workspace is created with the demo when `createDemo` is set (the first
    /// start) and writes are allowed; `--read-only` writes nothing, so it refuses instead.
    /// `pluginEvents` hears about a slow credential plugin: the command line prints them.
    /// `pluginTerminal` is what an interactive credential plugin gets: by default the
    /// terminal on standard input, if it is one.
    func openStore(
        createDemo: Bool = true, pluginEvents: @escaping @Sendable (CredentialPluginEvent) -> Void = printPluginEvent,
        pluginTerminal: PluginTerminal? = isatty(STDIN_FILENO) == 1 ? .plain : nil
    ) async throws -> any ObjectStore {
        if usesCluster {
            do {
                return Self.audited(
                    try KubernetesStore.open(
                        kubeconfig: kubeconfig.map(Self.absolute), context: context, readOnly: readOnly,
                        plugins: CredentialPluginPolicy(onEvent: pluginEvents, terminal: pluginTerminal)))
            } catch {
                throw Refusal(error)
            }
        }
        let store = try openWorkspace()
        if readOnly, !WorkspaceStore.exists(at: store.root) {
            throw Refusal(
                "there is no workspace at \(store.root), and --read-only creates none; make one with `kgate init --demo`")
        }
        if createDemo, !WorkspaceStore.exists(at: store.root) {
            do {
                try WorkspaceStore(root: store.root).initialize(demo: true)
            } catch {
                throw Refusal(error)
            }
            try await installDemoCertificates(into: store)
            FileHandle.standardError.write(Data("kgate: created the demo workspace in \(store.root)\n".utf8))
        }
        return Self.audited(store)
    }

    /// With `KGATE_AUDIT_LOG` set (as `kgate ssh-server --audit-log` sets it for its
    /// sessions), every write appends a line there, naming `KGATE_AUDIT_WHO` or the local user.
    static func audited(_ store: any ObjectStore) -> any ObjectStore {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["KGATE_AUDIT_LOG"], !path.isEmpty else { return store }
        let who = environment["KGATE_AUDIT_WHO"].flatMap { $0.isEmpty ? nil : $0 } ?? "local user \(NSUserName())"
        return AuditedStore(store, log: AuditLog(path: absolute(path)), who: who)
    }

    /// The workspace these options name, for what only a workspace does (`kgate init`);
    /// refused when they name a cluster.
    func openWorkspace() throws -> WorkspaceStore {
        if kubeconfig != nil || context != nil {
            throw Refusal("this command works on a workspace only; drop --kubeconfig and --context")
        }
        return WorkspaceStore(root: workspacePath, readOnly: readOnly)
    }

    /// kubectl takes global options before the subcommand (`kgate --workspace W projects`);
    /// ArgumentParser reads them after it. Leading global options move behind the rest.
    static func movingLeadingGlobals(_ arguments: [String]) -> [String] {
        let valued: Swift.Set = ["--workspace", "--kubeconfig", "--context"]
        let flags: Swift.Set = ["--read-only", "--no-color", "--ascii"]
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                globals.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.count {
                globals += [argument, arguments[index + 1]]
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + globals
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst() }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// `-o table|yaml|json`, as kubectl.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, yaml, json
}

/// Runs a store call, turning its refusal into exit status 1.
func perform<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw Refusal(error.description)
    }
}

/// Everything the store holds, with a warning on stderr for each manifest that did not
/// load; with `project`, refused unless that project exists.
func loadInventory(_ store: any ObjectStore, project: String? = nil) async throws -> Inventory {
    let inventory = try await perform { () async throws(StoreError) in try await store.load() }
    reportProblems(inventory)
    // An unreadable folder hides objects: what it holds is unknown, never "not found".
    if let place = project.map(inventory.unreadablePlace(project:)) ?? inventory.unreadable.first(where: { $0.isEmpty || $0 == "_cluster" }) {
        throw Refusal(
            "cannot read \(place.isEmpty ? "the workspace" : place) (see the warning above); kgate does not act on what it cannot read")
    }
    if let project, inventory.project(project) == nil {
        throw Refusal(.notFound(object: "Namespace \(project)"))
    }
    return inventory
}

/// Prints to standard output with a newline.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// The demo's TLS Secrets get real self-signed pairs (made here, never shipped), so that
/// `serve` has https for their hosts; the first start and `kgate init --demo` both do it.
func installDemoCertificates(into store: any ObjectStore) async throws {
    let certificates: [KubeObject]
    do {
        certificates = try DemoCertificates.secrets(of: try await loadInventory(store))
    } catch let failure as SelfSignedCertificate.Failure {
        throw Refusal("the demo's certificates: \(failure)")
    }
    _ = try await perform { () async throws(StoreError) in try await store.apply(certificates) }
}

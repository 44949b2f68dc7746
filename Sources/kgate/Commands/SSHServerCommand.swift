import ArgumentParser
import Foundation
import SSHServer

/// `kgate ssh-server`: the console over SSH, a `kgate console` child per session.
struct SSHServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh-server",
        abstract: "Serve the console over SSH: public keys with roles, a console per session.",
        discussion: """
            Each SSH session with a terminal gets its own `kgate console` on the same store, \
            read-only for a key with role="viewer" (the default) and limited to the key's \
            projects="..." when given. Keys come from an authorized_keys file, re-read when it \
            changes. It listens on 127.0.0.1:2222 unless told otherwise.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The address and port to listen on.", valueName: "host:port")) var listen = "127.0.0.1:2222"
    @Option(help: ArgumentHelp(
        "The ed25519 host key, created on first start (default: $XDG_DATA_HOME/kgate/ssh_host_ed25519_key).",
        valueName: "file"))
    var hostKey: String?
    @Option(help: ArgumentHelp(
        "The authorized keys, OpenSSH's format with role= and projects= (default: $XDG_CONFIG_HOME/kgate/authorized_keys).",
        valueName: "file"))
    var authorizedKeys: String?
    @Option(help: ArgumentHelp("Append a JSON line here for every write a session makes (mode 0600).", valueName: "file"))
    var auditLog: String?
    @Option(help: "The most sessions open at once.") var maxSessions = 32
    @Option(help: ArgumentHelp("End a session after this many seconds without a key.", valueName: "seconds"))
    var idleTimeout = 1800.0

    func validate() throws {
        if maxSessions < 1 { throw ValidationError("--max-sessions: must be at least 1, not \(maxSessions)") }
        if !(idleTimeout > 0) { throw ValidationError("--idle-timeout: must be a number of seconds above 0") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.local/share"
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.config"
        do {
            let (host, port) = try ServerConfiguration.parseListen(listen)
            if let auditLog {
                // Sessions inherit it: each console's store appends its writes there.
                let path = URL(fileURLWithPath: auditLog).standardizedFileURL.path
                setenv("KGATE_AUDIT_LOG", path, 1)
            }
            let key = try HostKey.loadOrCreate(at: hostKey ?? "\(data)/kgate/ssh_host_ed25519_key")
            // The store is opened once here, so that a bad workspace or kubeconfig is
            // reported at start rather than in every session.
            _ = try await global.openStore()
            let configuration = ServerConfiguration(
                host: host, port: port, hostKey: key,
                authorizedKeysPath: authorizedKeys ?? "\(config)/kgate/authorized_keys",
                consoleExecutable: Self.ownExecutable, consoleArguments: ["console"] + storeArguments,
                maximumSessions: maxSessions, idleTimeout: idleTimeout)
            let endpoint = try SSHEndpoint(configuration: configuration) { printError($0) }
            let bound = try endpoint.start()
            // Written at once (not buffered): a supervisor or test reads the port and fingerprint.
            FileHandle.standardOutput.write(
                Data("kgate ssh-server: listening on \(host):\(bound)\nhost key fingerprint: ED25519 \(key.fingerprint)\n".utf8))
            // The endpoint's wait blocks: on a thread of its own, off Swift's cooperative pool.
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                Thread.detachNewThread {
                    do {
                        try endpoint.wait()
                        done.resume()
                    } catch {
                        done.resume(throwing: error)
                    }
                }
            }
        } catch let error as SSHServerError {
            throw Refusal(error.description)
        }
    }

    /// The store options every session's console is given, so that all work on one store.
    private var storeArguments: [String] {
        var arguments: [String] = []
        if global.usesCluster {
            if let kubeconfig = global.kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
            if let context = global.context { arguments += ["--context", context] }
        } else {
            arguments += ["--workspace", global.workspacePath]
        }
        if global.readOnly { arguments.append("--read-only") }
        if global.noColor { arguments.append("--no-color") }
        if global.ascii { arguments.append("--ascii") }
        return arguments
    }

    /// This very binary, so that sessions run the same kgate as the server.
    private static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

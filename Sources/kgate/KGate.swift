import ArgumentParser
import ChildProcess
import Foundation
import GatewayKit
import GatewayStore

/// `kgate`: the console for a project's gateway and routes, and every console action as a
/// subcommand. Exit status: 0 success, 1 a refused request (the reason on stderr, nothing
/// written), 2 a usage error.
@main
struct KGate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kgate",
        abstract: "Set a KubeSphere project's gateway and routes from the terminal.",
        discussion: """
            With no subcommand kgate opens the console. It works on an embedded workspace (a \
            folder of Kubernetes manifests; the demo is created on first start) unless told \
            otherwise.
            """,
        subcommands: [
            ConsoleCommand.self, InitCommand.self, ApplyCommand.self, ProjectsCommand.self,
            GatewayCommand.self, RoutesCommand.self, RouteCommand.self, RenderCommand.self, ServeCommand.self, SSHServerCommand.self, AuditCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    static func main() async {
        MallocTuning.apply()
        // No child (a credential plugin, nginx) outlives kgate, however it leaves.
        defer { ChildProcess.stopAll() }
        ChildProcess.stopChildrenOnTerminationSignals()
        do {
            var command = try parseAsRoot(GlobalOptions.movingLeadingGlobals(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let refusal as Refusal {
            printError("error: \(refusal.message)")
            ChildProcess.stopAll()
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            ChildProcess.stopAll()
            if code == .success {
                exit(withError: error)
            }
            if error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

/// A request kgate refused: exit status 1, the message on stderr.
struct Refusal: Error {
    var message: String

    init(_ message: String) { self.message = message }
    init(_ error: StoreError) { self.message = error.description }
}

/// Writes one message on stderr. Messages quote files, manifests and servers, so every
/// control character but the line breaks is escaped: nothing printed can drive the terminal.
func printError(_ message: String) {
    let text = TerminalText.escapedKeepingLineBreaks(message)
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// A credential plugin's progress, on stderr (kubectl prints nothing, and seems to hang).
@Sendable func printPluginEvent(_ event: CredentialPluginEvent) {
    printError("kgate: \(event)")
}

/// `warning: …` on stderr, as one line whatever the file or manifest it names held.
func printWarning(_ line: String) {
    printError("warning: " + TerminalText.escaped(line))
}

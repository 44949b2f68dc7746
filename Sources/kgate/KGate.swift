import ArgumentParser
import Foundation
import GatewayKit

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
            GatewayCommand.self, RoutesCommand.self, RouteCommand.self, RenderCommand.self, ServeCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    static func main() async {
        do {
            var command = try parseAsRoot(GlobalOptions.movingLeadingGlobals(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let refusal as Refusal {
            FileHandle.standardError.write(Data("error: \(refusal.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
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

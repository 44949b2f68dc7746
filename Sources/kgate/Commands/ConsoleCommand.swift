import ArgumentParser
import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open the console (the default).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Open this project's Internet Access page.") var project: String?

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(
                Data(
                    """
                    kgate: the console needs a terminal (standard input and output are not one).
                    Use a subcommand instead: init, apply, projects, gateway show|set|delete, routes,
                    route show|create|apply|delete, render. See `kgate --help`.

                    """.utf8))
            throw ExitCode(2)
        }
        _ = try global.openStore()
        throw Refusal("the console is not wired in yet")
    }
}

import ArgumentParser
import Console
import Foundation
import GatewayKit
import GatewayStore
import Glibc
import Terminal

struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open the console (the default).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Open this project's Internet Access page (default with a kubeconfig: the context's namespace).") var project: String?
    /// Set by `kgate ssh-server` for a key with `projects=`: the console sees only these.
    @Option(help: .hidden) var onlyProjects: String?

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            FileHandle.standardError.write(
                Data(
                    """
                    kgate: the console needs a terminal (standard input and output are not one).
                    Use a subcommand instead: init, apply, projects, gateway show|set|delete, routes,
                    route show|create|apply|delete, render, serve. See `kgate --help`.

                    """.utf8))
            throw ExitCode(2)
        }
        // Nothing may be printed over the screen: a slow credential plugin is shown on the
        // console's status row instead, until it finishes.
        let (notices, noticeSink) = AsyncStream.makeStream(of: String?.self, bufferingPolicy: .bufferingNewest(8))
        // An interactive credential plugin gets the terminal: the console steps aside meanwhile.
        let pluginTerminal = ConsolePluginTerminal()
        let openedStore = try await global.openStore(
            pluginEvents: { event in
                switch event {
                case .waiting, .timedOut: noticeSink.yield(event.description)
                case .finished: noticeSink.yield(nil)
                }
            }, pluginTerminal: pluginTerminal.pluginTerminal)
        let store = onlyProjects.map { ProjectLimitedStore(openedStore, projects: Set($0.split(separator: ",").map(String.init))) }
            ?? openedStore
        var initialProject = project
        if let project {
            // Checked before the screen is taken, so the reason is printed plainly.
            _ = try await loadInventory(store, project: project)
        } else if global.usesCluster {
            // As kubectl's -n: the context's namespace, when it is a project the user sees.
            let namespace = try global.project(nil)
            if try await loadInventory(store).project(namespace) != nil { initialProject = namespace }
        }
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(options: NcursesTerminal.Options(monochrome: global.monochrome))
        } catch {
            throw Refusal("\(error)")
        }
        let options = ConsoleOptions(
            readOnly: global.readOnly, ascii: global.ascii || !terminal.isUTF8, monochrome: global.monochrome,
            initialProject: initialProject)
        // The pods, logs and traffic of the gateway detail's sections; nil leaves them out.
        let activity = try? GatewayActivityOptions.activity(global, pluginEvents: { event in
            switch event {
            case .waiting, .timedOut: noticeSink.yield(event.description)
            case .finished: noticeSink.yield(nil)
            }
        })
        let lending = LendingConsoleTerminal(terminal)
        pluginTerminal.attach(lending)
        let status = await ConsoleApp.run(
            store: store, terminal: lending, options: options, notices: notices, activity: activity,
            history: AuditLogHistory.fromEnvironment())
        pluginTerminal.detach()
        noticeSink.finish()
        let signal = terminal.terminationSignal
        terminal.restore()
        // After the screen is restored, so that any message lands on the operator's shell.
        if let note = terminal.terminalTypeNote { printError("kgate: \(note)") }
        if let signal { throw ExitCode(128 + signal) }
        if status != 0 { throw ExitCode(status) }
    }
}

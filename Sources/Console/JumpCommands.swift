/// The `:` commands, as k9s has them: any unique prefix of a name or alias runs it, Tab
/// completes it, and they work from every screen (from the project list, a project
/// command means the selected project).
struct JumpCommand: Sendable {
    var name: String
    var aliases: [String]
    /// Whether it is about a project (from the list: the selected one).
    var needsProject: Bool
    var run: @Sendable (inout ConsoleState) -> [Effect]

    static let all: [JumpCommand] = [
        JumpCommand(name: "projects", aliases: ["project", "ns"], needsProject: false) { state in
            state.openProjects()
            return []
        },
        JumpCommand(name: "gateway", aliases: ["gw", "access"], needsProject: true) { state in
            if let project = state.project { state.openProject(project) }
            return []
        },
        JumpCommand(name: "detail", aliases: [], needsProject: true) { state in
            state.openGatewayDetail()
            return []
        },
        JumpCommand(name: "routes", aliases: ["route", "rt", "ingress", "ing"], needsProject: true) { state in
            state.openRoutes()
            return []
        },
        JumpCommand(name: "help", aliases: [], needsProject: false) { state in
            state.overlay = .help
            return []
        },
        JumpCommand(name: "quit", aliases: ["q", "q!", "exit"], needsProject: false) { _ in [.quit(status: 0)] },
    ]

    /// `:projects :gateway :detail :routes :help :quit`, for the help.
    static var summary: String { all.map { ":" + $0.name }.joined(separator: " ") }

    /// The command `text` names: an exact name or alias, else the one command whose names
    /// start with it. Nil when none or several do.
    static func resolve(_ text: String) -> JumpCommand? {
        let typed = normalized(text)
        guard !typed.isEmpty else { return nil }
        if let exact = all.first(where: { ([$0.name] + $0.aliases).contains(typed) }) { return exact }
        let matching = candidates(typed)
        return matching.count == 1 ? matching[0] : nil
    }

    /// Tab: the whole name when one command matches, else the longest shared start.
    static func complete(_ text: String) -> String {
        let typed = normalized(text)
        let matching = candidates(typed)
        if matching.count == 1 { return matching[0].name }
        let names = matching.flatMap { ([$0.name] + $0.aliases).filter { $0.hasPrefix(typed) } }
        guard var shared = names.first else { return text }
        for name in names.dropFirst() { while !name.hasPrefix(shared) { shared.removeLast() } }
        return shared.count > typed.count ? shared : text
    }

    /// The commands some name or alias of which starts with `typed`.
    static func candidates(_ typed: String) -> [JumpCommand] {
        all.filter { command in ([command.name] + command.aliases).contains { $0.hasPrefix(typed) } }
    }

    private static func normalized(_ text: String) -> String { String(text.filter { !$0.isWhitespace }).lowercased() }
}

extension ConsoleState {
    /// `:routes`, `:gateway`, `:projects`, `:q`, or any unique prefix of them.
    mutating func runCommand(_ text: String) -> [Effect] {
        let typed = String(text.filter { !$0.isWhitespace })
        guard !typed.isEmpty else { return [] }
        guard let command = JumpCommand.resolve(typed) else {
            let matching = JumpCommand.candidates(typed.lowercased()).map { ":" + $0.name }
            flash = .error(
                matching.isEmpty
                    ? "Unknown command :\(typed) (try \(JumpCommand.summary))"
                    : ":\(typed) could be \(matching.joined(separator: " or ")): type more of it")
            return []
        }
        if command.needsProject {
            // On the project list, a project command means the selected row.
            if top == .projects, let selected = screen(ProjectsScreen.self)?.selectedName(catalog) {
                openProject(selected)
            }
            guard project != nil else {
                flash = .error("No project chosen: pick one in the list first.")
                return []
            }
        }
        return command.run(&self)
    }
}

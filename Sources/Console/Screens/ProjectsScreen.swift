import GatewayKit
import Terminal

/// The project list: name, alias, gateway type and status, route count.
struct ProjectsScreen: Hashable, Sendable {
    var cursor = ListCursor()

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        let rows = state.catalog.projectRows
        let height = state.bodyHeight - 1
        if state.projects.cursor.handle(key, count: rows.count, height: height) { return [] }
        guard rows.indices.contains(state.projects.cursor.selected) else { return [] }
        let selected = rows[state.projects.cursor.selected].name
        switch key {
        case .enter, .right, .character("l"):
            state.openProject(selected)
        case .character("r"):
            state.openProject(selected)
            state.openRoutes()
        default: break
        }
        return []
    }

    static func hints(_ state: ConsoleState) -> [KeyHint] {
        [.move, KeyHint(key: "Enter", label: "internet access"), KeyHint(key: "r", label: "routes"), .command, .help, .quit, .interrupt]
    }

    static func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let theme = state.theme
        let rows = state.catalog.projectRows
        guard state.inventory != nil else {
            screen.draw("Loading…", x: rect.x + 1, y: rect.y, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
            return
        }
        guard !rows.isEmpty else {
            screen.draw("No projects in \(state.location).", x: rect.x + 1, y: rect.y, ellipsis: theme.glyphs.ellipsis)
            return
        }
        let columns = [
            TableColumn(title: "NAME", width: 20), TableColumn(title: "ALIAS", width: 18),
            TableColumn(title: "GATEWAY", width: 12), TableColumn(title: "STATUS", width: 9),
            TableColumn(title: "ROUTES", width: 6),
        ]
        Table.draw(
            columns: columns, rowCount: rows.count, cursor: state.projects.cursor, in: rect.inset(left: 1, right: 1),
            screen: &screen, theme: theme
        ) { row, column in
            let project = rows[row]
            switch column {
            case 0: return Span(project.name)
            case 1: return Span(project.alias.isEmpty ? "-" : project.alias)
            case 2: return Span(project.gatewayType?.rawValue ?? "-")
            case 3: return Span(project.status, statusStyle(project.status, theme: theme))
            default: return Span(String(project.routeCount))
            }
        }
    }

    static func statusStyle(_ status: String, theme: Theme) -> Style {
        switch status {
        case "Ready": theme.success
        case "Pending": theme.warning
        default: theme.dim
        }
    }
}

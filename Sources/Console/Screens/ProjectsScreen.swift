import GatewayKit
import Terminal

/// The project list: name, alias, gateway type and status, route count.
struct ProjectsScreen: ConsoleScreen {
    var cursor = ListCursor()

    var id: ScreenID { .projects }

    func selectedName(_ catalog: Catalog) -> String? {
        catalog.projectRows.indices.contains(cursor.selected) ? catalog.projectRows[cursor.selected].name : nil
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<ProjectsScreen>] {
        ListCursor.bindings(count: state.catalog.projectRows.count, height: state.bodyHeight - 1, \.cursor)
            + [
                KeyBinding([.enter], more: [.right, .character("l")], "internet access") { screen, state, _ in
                    if let name = screen.selectedName(state.catalog) { state.openProject(name) }
                    return []
                },
                KeyBinding([.character("r")], "routes") { screen, state, _ in
                    guard let name = screen.selectedName(state.catalog) else { return [] }
                    state.openProject(name)
                    state.openRoutes()
                    return []
                },
            ] + KeyBinding.common
    }

    mutating func refresh(_ state: ConsoleState) { resized(state) }

    mutating func resized(_ state: ConsoleState) {
        cursor.scrollIntoView(count: state.catalog.projectRows.count, height: state.bodyHeight - 1)
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
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
        let widths = [20, 18, 12, 9, 6]
        let columns = zip(ProjectRow.titles, widths).map { TableColumn(title: $0, width: $1) }
        Table.draw(
            columns: columns, rowCount: rows.count, cursor: cursor, in: rect.inset(left: 1, right: 1),
            screen: &screen, theme: theme
        ) { row, column in
            let project = rows[row]
            let text = project.cells[column]
            return column == 3 ? Span(text, ProjectsScreen.statusStyle(project.status, theme: theme)) : Span(text)
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

extension ScreenID {
    static let projects = ScreenID(title: "Projects")
}

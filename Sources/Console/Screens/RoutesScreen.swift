import GatewayKit
import Terminal

/// A project's routes: name, hosts, paths → backends, URLs; `/` filters as you type.
struct RoutesScreen: ConsoleScreen {
    var project: String
    var index: RouteIndex
    var filter: RouteFilter
    var query = TextField()
    /// Keys go to the filter while true (after `/`, until Enter or Esc).
    var typing = false
    var cursor = ListCursor()
    /// A route to select after the next load (the one just saved).
    var reveal: String?

    init(project: String, catalog: Catalog) {
        self.project = project
        index = RouteIndex(routes: catalog.routes(project: project))
        filter = RouteFilter(index: index)
    }

    var selectedRoute: Route? {
        guard filter.matches.indices.contains(cursor.selected) else { return nil }
        return index.routes[filter.matches[cursor.selected]]
    }

    /// Rows of the table at `bodyHeight` (filter line, heading, and the selected route's
    /// summary when there is room).
    static func tableHeight(bodyHeight: Int) -> Int {
        bodyHeight - 1 - (bodyHeight >= 14 ? summaryRows : 0)
    }
    static let summaryRows = 4

    /// After a load: the new routes, the same filter, the same route selected if it is still there.
    mutating func reload(_ catalog: Catalog, bodyHeight: Int) {
        let selectedName = reveal ?? selectedRoute?.name
        reveal = nil
        index = RouteIndex(routes: catalog.routes(project: project), reusing: index)
        filter = RouteFilter(index: index)
        filter.set(query.text, index: index)
        select(named: selectedName, bodyHeight: bodyHeight)
    }

    mutating func select(named name: String?, bodyHeight: Int) {
        let height = RoutesScreen.tableHeight(bodyHeight: bodyHeight) - 1
        let matches = filter.matches
        // Routes are sorted by name and matches ascending: a binary search finds the row.
        if let name {
            var low = 0
            var high = matches.count
            while low < high {
                let mid = (low + high) / 2
                if index.routes[matches[mid]].name < name { low = mid + 1 } else { high = mid }
            }
            if low < matches.count, index.routes[matches[low]].name == name {
                cursor.moveTo(low, count: matches.count, height: height)
                return
            }
        }
        cursor.move(by: 0, count: matches.count, height: height)
    }

    mutating func setQuery(_ field: TextField, bodyHeight: Int) {
        let selectedName = selectedRoute?.name
        query = field
        filter.set(field.text, index: index)
        select(named: selectedName, bodyHeight: bodyHeight)
    }
}

extension RoutesScreen {
    var id: ScreenID { .routes }
    var isTyping: Bool { typing }

    mutating func refresh(_ state: ConsoleState) { reload(state.catalog, bodyHeight: state.bodyHeight) }

    mutating func resized(_ state: ConsoleState) {
        cursor.scrollIntoView(count: filter.matches.count, height: RoutesScreen.tableHeight(bodyHeight: state.bodyHeight) - 1)
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<RoutesScreen>] {
        let body = state.bodyHeight
        let height = RoutesScreen.tableHeight(bodyHeight: body) - 1
        let count = filter.matches.count
        if typing {
            return [
                KeyBinding([.enter], "keep filter") { screen, _, _ in
                    screen.typing = false
                    return []
                },
                KeyBinding([.escape], "clear filter") { screen, _, _ in
                    screen.typing = false
                    screen.setQuery(TextField(), bodyHeight: body)
                    return []
                },
                KeyBinding([.up, .down], more: [.pageUp, .pageDown], "move") { screen, _, key in
                    _ = screen.cursor.handle(key, count: count, height: height)
                    return []
                },
            ] + TextField.editingBindings { screen, state, key in screen.handleUnbound(key, &state) }
                + [.helpF1(footer: true), .interrupt]
        }
        let project = self.project
        let selected = selectedRoute
        return [
            KeyBinding([.character("/")], "filter") { screen, _, _ in
                screen.typing = true
                return []
            },
            KeyBinding([.character("n")], "new", writes: true) { _, state, _ in
                state.openEditor(editing: nil)
                return []
            },
            KeyBinding([.character("e")], more: [.enter, .right, .character("l")], "edit", writes: true) { _, state, _ in
                if let selected { state.openEditor(editing: selected) }
                return []
            },
            KeyBinding([.character("y")], "yaml") { _, state, _ in
                guard let selected else { return [] }
                state.openYAML(title: "Ingress \(project)/\(selected.name)", text: ManifestRenderer.yaml([.route(selected)]))
                return []
            },
            KeyBinding([.character("d")], "delete", writes: true) { _, state, _ in
                guard let selected else { return [] }
                state.overlay = .confirm(
                    Confirmation(prompt: "Delete route \(selected.name)?", action: .deleteRoute(project: project, name: selected.name)))
                return []
            },
            KeyBinding([.escape], more: [.left, .character("h")], query.text.isEmpty ? "back" : "clear filter") { screen, state, _ in
                if screen.query.text.isEmpty {
                    state.back()
                } else {
                    screen.setQuery(TextField(), bodyHeight: body)
                }
                return []
            },
            KeyBinding([.character("g")], "gateway detail", footer: false) { _, state, _ in
                state.openGatewayDetail()
                return []
            },
        ] + ListCursor.bindings(count: count, height: height, \.cursor) + KeyBinding.common
    }

    /// Typing into the filter; Backspace on an empty filter closes it.
    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard typing else { return [] }
        if key == .backspace, query.text.isEmpty {
            typing = false
            return []
        }
        var field = query
        if field.handle(key) { setQuery(field, bodyHeight: state.bodyHeight) }
        return []
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let routes = self
        guard rect.height > 0 else { return }
        let theme = state.theme
        let g = theme.glyphs
        let matches = routes.filter.matches
        // The filter line: what is typed, and how many routes match.
        let counts = routes.query.text.isEmpty ? Plural.count(routes.index.count, "route") : "\(matches.count) of \(routes.index.count)"
        if routes.typing || !routes.query.text.isEmpty {
            screen.put("/", x: rect.x + 1, y: rect.y, style: theme.key)
            let fieldWidth = max(1, min(30, rect.width - counts.count - 6))
            routes.query.draw(
                x: rect.x + 3, y: rect.y, width: fieldWidth, style: routes.typing ? theme.field : theme.plain,
                focused: routes.typing, screen: &screen, theme: theme)
        } else {
            screen.draw("Routes of \(routes.project)", x: rect.x + 1, y: rect.y, width: rect.width - counts.count - 3, style: theme.heading, ellipsis: g.ellipsis)
        }
        screen.draw(counts, x: rect.maxX - counts.count - 1, y: rect.y, style: theme.dim, ellipsis: "")

        let gateway = state.catalog.gatewayView(project: routes.project)
        let conflicts = state.catalog.conflicts(project: routes.project)
        let tableHeight = RoutesScreen.tableHeight(bodyHeight: rect.height)
        let tableRect = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: tableHeight)
        if matches.isEmpty {
            let text = routes.index.count == 0 ? "No routes yet." + (state.readOnly ? "" : " Press n to create one.") : "No route matches."
            screen.draw(text, x: tableRect.x, y: tableRect.y + 1, style: theme.dim, ellipsis: g.ellipsis)
        } else {
            // Cells are derived for visible rows only, and the columns sized from them.
            let visible = routes.cursor.visibleOffset(count: matches.count, height: tableHeight - 1)
            let rows = matches[visible..<min(matches.count, visible + max(0, tableHeight - 1))].map { index in
                RouteColumns.cells(routes.index.routes[index], gateway: gateway, conflicts: conflicts, arrow: g.arrow)
            }
            let titles = ["NAME", "HOSTS", "PATH \(g.arrow) BACKEND", "URLS"]
            let natural = titles.indices.map { column in
                rows.reduce(titles[column].terminalWidth) { max($0, $1[column].terminalWidth) }
            }
            let sizing = RouteColumns(natural: natural, width: tableRect.width)
            let fitted = rows.map { sizing.fit($0, ellipsis: g.ellipsis) }
            let columns = zip(titles, sizing.widths).map { TableColumn(title: $0, width: $1) }
            Table.draw(columns: columns, rowCount: matches.count, cursor: routes.cursor, in: tableRect, screen: &screen, theme: theme) {
                row, column in
                let text = fitted.indices.contains(row - visible) ? fitted[row - visible][column] : ""
                return Span(text, column == 3 && text == "-" ? theme.dim : theme.plain)
            }
        }
        guard rect.height >= 14, let selected = routes.selectedRoute else { return }
        let top = rect.maxY - RoutesScreen.summaryRows
        screen.rule(x: rect.x, y: top, width: rect.width, glyph: g.horizontal, style: theme.border)
        let title = selected.alias.map { "\(selected.name) (\($0))" } ?? selected.name
        let titleWidth = screen.draw(title, x: rect.x + 1, y: top + 1, style: theme.label, ellipsis: g.ellipsis)
        if let change = state.lastChangeText(of: .route(selected)) {
            // The route's last change from the audit log, once read.
            screen.draw(
                "last change: " + TerminalText.escaped(change), x: rect.x + 3 + titleWidth, y: top + 1,
                width: max(0, rect.maxX - rect.x - 3 - titleWidth), style: theme.dim, ellipsis: g.ellipsis)
        }
        let all = AccessURL.all(route: selected, gateway: gateway, conflicts: conflicts)
        // The whole URL here, even when the table had to cut it; the backend gives way.
        for (offset, access) in all.prefix(RoutesScreen.summaryRows - 2).enumerated() {
            let place = access.url ?? "\(access.host)\(access.path) (\(access.notServed ?? "gateway not ready"))"
            let used = screen.draw(place, x: rect.x + 3, y: top + 2 + offset, width: rect.width - 3, ellipsis: g.ellipsis)
            screen.draw(
                " \(g.arrow) \(access.service):\(access.port)", x: rect.x + 3 + used, y: top + 2 + offset,
                width: max(0, rect.width - 3 - used), style: theme.dim, ellipsis: g.ellipsis)
        }
    }

    static func hosts(_ route: Route) -> String {
        route.rules.map { $0.host.isEmpty ? "*" : $0.host }.joined(separator: ", ")
    }

    static func paths(_ route: Route, arrow: String) -> String {
        route.rules.flatMap { rule in
            rule.paths.map { "\($0.path)\(arrow)\($0.backend.service):\($0.backend.portText)" }
        }.joined(separator: ", ")
    }
}

extension ScreenID {
    static let routes = ScreenID(title: "Routes")
}

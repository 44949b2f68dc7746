import GatewayKit
import Terminal

/// A project's routes: name, hosts, paths → backends, URLs; `/` filters as you type.
struct RoutesScreen: Sendable {
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
        index = RouteIndex(routes: catalog.routes(project: project))
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
    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard state.routes != nil else { return [] }
        let body = state.bodyHeight
        let height = tableHeight(bodyHeight: body) - 1
        let count = state.routes?.filter.matches.count ?? 0
        if state.routes?.typing == true {
            switch key {
            case .enter: state.routes?.typing = false
            case .escape:
                state.routes?.typing = false
                state.routes?.setQuery(TextField(), bodyHeight: body)
            case .up, .down, .pageUp, .pageDown:
                _ = state.routes?.cursor.handle(key, count: count, height: height)
            default:
                var field = state.routes?.query ?? TextField()
                if key == .backspace, field.text.isEmpty {
                    state.routes?.typing = false
                } else if field.handle(key) {
                    state.routes?.setQuery(field, bodyHeight: body)
                }
            }
            return []
        }
        if state.routes?.cursor.handle(key, count: count, height: height) == true { return [] }
        let project = state.routes?.project ?? ""
        let selected = state.routes?.selectedRoute
        switch key {
        case .character("/"): state.routes?.typing = true
        case .escape, .left, .character("h"):
            if state.routes?.query.text.isEmpty == false {
                state.routes?.setQuery(TextField(), bodyHeight: body)
            } else {
                state.back()
            }
        case .character("n"):
            guard !state.refusesWrite("creating routes") else { return [] }
            state.openEditor(editing: nil)
        case .enter, .character("e"), .right, .character("l"):
            guard let selected else { return [] }
            guard !state.refusesWrite("editing routes") else { return [] }
            state.openEditor(editing: selected)
        case .character("y"):
            guard let selected else { return [] }
            state.openYAML(title: "Ingress \(project)/\(selected.name)", text: ManifestRenderer.yaml([.route(selected)]))
        case .character("d"):
            guard let selected else { return [] }
            guard !state.refusesWrite("deleting routes") else { return [] }
            state.overlay = .confirm(
                Confirmation(
                    prompt: "Delete route \(selected.name)?", action: .deleteRoute(project: project, name: selected.name)))
        case .character("g"):
            state.openGatewayDetail()
        default: break
        }
        return []
    }

    static func hints(_ state: ConsoleState) -> [KeyHint] {
        if state.routes?.typing == true {
            return [
                KeyHint(key: "Enter", label: "keep filter"), KeyHint(key: "Esc", label: "clear filter"),
                KeyHint(key: "↑↓", label: "move"), .interrupt,
            ]
        }
        return [
            KeyHint(key: "/", label: "filter"), .write("n", "new"), .write("e", "edit"), KeyHint(key: "y", label: "yaml"),
            .write("d", "delete"), .back, .help, .quit,
            KeyHint(key: "g", label: "gateway detail", footer: false), .move, .command, .interrupt,
        ]
    }

    static func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard let routes = state.routes, rect.height > 0 else { return }
        let theme = state.theme
        let g = theme.glyphs
        let matches = routes.filter.matches
        // The filter line: what is typed, and how many routes match.
        let counts = routes.query.text.isEmpty ? "\(routes.index.count) routes" : "\(matches.count) of \(routes.index.count)"
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
        let tableHeight = tableHeight(bodyHeight: rect.height)
        let tableRect = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: tableHeight)
        if matches.isEmpty {
            let text = routes.index.count == 0 ? "No routes yet." + (state.readOnly ? "" : " Press n to create one.") : "No route matches."
            screen.draw(text, x: tableRect.x, y: tableRect.y + 1, style: theme.dim, ellipsis: g.ellipsis)
        } else {
            // The URLs are what the operator came for: the last column takes the spare width.
            let columns = [
                TableColumn(title: "NAME", width: 12), TableColumn(title: "HOSTS", width: 18),
                TableColumn(title: "PATH \(g.arrow) BACKEND", width: 15), TableColumn(title: "URLS", width: 20),
            ]
            // Cells are derived for visible rows only.
            Table.draw(columns: columns, rowCount: matches.count, cursor: routes.cursor, in: tableRect, screen: &screen, theme: theme) {
                row, column in
                let route = routes.index.routes[matches[row]]
                switch column {
                case 0: return Span(route.name)
                case 1: return Span(hosts(route))
                case 2: return Span(paths(route, arrow: g.arrow))
                default: return urls(route, gateway: gateway, theme: theme)
                }
            }
        }
        guard rect.height >= 14, let selected = routes.selectedRoute else { return }
        let top = rect.maxY - summaryRows
        screen.rule(x: rect.x, y: top, width: rect.width, glyph: g.horizontal, style: theme.border)
        let title = selected.alias.map { "\(selected.name) (\($0))" } ?? selected.name
        screen.draw(title, x: rect.x + 1, y: top + 1, style: theme.label, ellipsis: g.ellipsis)
        let all = AccessURL.all(route: selected, gateway: gateway)
        for (offset, access) in all.prefix(summaryRows - 2).enumerated() {
            let target = "\(access.service):\(access.port)"
            let text = "\(access.url ?? "\(access.host)\(access.path) (gateway not ready)") \(g.arrow) \(target)"
            screen.draw(text, x: rect.x + 3, y: top + 2 + offset, ellipsis: g.ellipsis)
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

    static func urls(_ route: Route, gateway: GatewayView?, theme: Theme) -> Span {
        let urls = AccessURL.all(route: route, gateway: gateway).compactMap(\.url)
        guard let first = urls.first else { return Span("-", theme.dim) }
        return Span(urls.count > 1 ? "\(first) +\(urls.count - 1)" : first)
    }
}

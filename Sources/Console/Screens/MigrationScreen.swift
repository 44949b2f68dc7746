import GatewayKit
import Terminal

/// The project's routes as Gateway API objects (`m` on Internet Access): each Ingress
/// beside the HTTPRoutes it becomes, the notes of what does not carry over, the YAML of
/// the whole set (`y`) and a save of it to a file (`w`).
struct MigrationScreen: ConsoleScreen {
    var project: String
    var cursor = ListCursor()
    /// The conversion of the last load; remade on every refresh.
    var set: GatewayAPISet
    var ingresses: [String]
    /// The HTTPRoutes the store holds in the project (applied during a migration), by
    /// name, with their `spec`: shown as "stored" beside the rendered ones.
    var storedSpecs: [String: ManifestValue] = [:]

    init(project: String, inventory: Inventory?) {
        self.project = project
        set = GatewayAPIConversion.convert(inventory ?? Inventory(), project: project)
        ingresses = inventory?.routes(project: project).map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } ?? []
        for object in inventory?.gatewayAPIObjects(namespace: project) ?? [] where object.kind == .httpRoute {
            storedSpecs[object.metadata.name] = object.manifest["spec"] ?? .null
        }
    }

    /// `stored`, `stored, differs`, or nil when the store holds no HTTPRoute of that name.
    func storedState(_ route: APIHTTPRoute) -> String? {
        guard let spec = storedSpecs[route.name] else { return nil }
        return spec == GatewayAPIRenderer.manifest(route)["spec"] ? "stored" : "stored, differs"
    }

    var id: ScreenID { .migration }

    /// The file `w` writes: in the console's working folder, named after the project.
    var fileName: String { "\(project)-gateway-api.yaml" }

    func bindings(_ state: ConsoleState) -> [KeyBinding<MigrationScreen>] {
        ListCursor.bindings(count: ingresses.count, height: listHeight(state.bodyHeight), \.cursor) + [
            KeyBinding([.character("y")], "yaml of the set") { screen, state, _ in
                state.openYAML(title: "Gateway API objects of \(screen.project)", text: GatewayAPIRenderer.yaml(screen.set))
                return []
            },
            // Writes a file, not the store: allowed in read-only mode.
            KeyBinding([.character("w")], "save to \(fileName)") { screen, state, _ in
                state.flash = .info("Saving \(screen.fileName)…")
                return [.saveFile(path: screen.fileName, text: GatewayAPIRenderer.yaml(screen.set))]
            },
            .back(),
        ] + KeyBinding.common
    }

    mutating func refresh(_ state: ConsoleState) {
        self = MigrationScreen(project: project, inventory: state.inventory).keeping(cursor, height: listHeight(state.bodyHeight))
    }

    mutating func resized(_ state: ConsoleState) {
        cursor.scrollIntoView(count: ingresses.count, height: listHeight(state.bodyHeight))
    }

    private func keeping(_ cursor: ListCursor, height: Int) -> MigrationScreen {
        var copy = self
        copy.cursor = cursor
        copy.cursor.scrollIntoView(count: ingresses.count, height: height)
        return copy
    }

    /// Rows of the Ingress list: up to half the body, the rest is the selected one's detail.
    private func listHeight(_ body: Int) -> Int { max(1, min(ingresses.count, max(1, body / 2 - 1))) }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let theme = state.theme
        let gateway = set.gateway
        let summary = "Gateway \(gateway.name): \(Plural.count(gateway.listeners.count, "listener")), "
            + "\(Plural.count(set.routes.count, "HTTPRoute")), \(Plural.count(set.notes.count, "note"))"
            + (storedSpecs.isEmpty ? "" : ", \(storedSpecs.count) stored")
        screen.draw(summary, x: rect.x + 1, y: rect.y, style: theme.heading, ellipsis: theme.glyphs.ellipsis)
        guard !ingresses.isEmpty else {
            screen.draw("No routes in \(project): the Gateway alone.", x: rect.x + 1, y: rect.y + 1, ellipsis: theme.glyphs.ellipsis)
            return
        }
        let height = listHeight(rect.height - 1)
        let columns = [TableColumn(title: "INGRESS", width: 20), TableColumn(title: "HTTPROUTES", width: 40), TableColumn(title: "NOTES", width: 6)]
        let rows = ingresses.map { name in
            (name, set.routes(ingress: name).map(\.name).joined(separator: ", "), String(set.notes(ingress: name).count))
        }
        var listRect = rect.inset(top: 1, left: 1, right: 1)
        listRect.height = min(listRect.height, height + 1)
        Table.draw(columns: columns, rowCount: rows.count, cursor: cursor, in: listRect, screen: &screen, theme: theme) { row, column in
            let cells = rows[row]
            return Span([cells.0, cells.1, cells.2][column])
        }
        let detailRect = rect.inset(top: height + 2)
        guard ingresses.indices.contains(cursor.selected), detailRect.height > 0 else { return }
        Document.draw(detail(ingresses[cursor.selected], width: detailRect.width, theme: theme), offset: 0, in: detailRect, screen: &screen, theme: theme)
    }

    /// The selected Ingress's HTTPRoutes, one line a rule, then its notes wrapped to `width`.
    private func detail(_ ingress: String, width: Int, theme: Theme) -> [DocumentLine] {
        var lines: [DocumentLine] = []
        for route in set.routes(ingress: ingress) {
            let hosts = route.hostnames.isEmpty ? "every host" : route.hostnames.joined(separator: ", ")
            var spans = [Span("HTTPRoute \(route.name)", theme.label), Span("  \(hosts)")]
            if let stored = storedState(route) { spans.append(Span("  (\(stored))", theme.success)) }
            lines.append(DocumentLine(spans, indent: 1))
            for rule in route.rules {
                let match = rule.matches.first.map { "\($0.type) \($0.value)" } ?? "every path"
                let backend = rule.backendRefs.first.map { "\($0.name):\($0.port)" } ?? "no backend"
                let filters = rule.filters.isEmpty ? "" : "  [\(rule.filters.map(Self.filterName).joined(separator: ", "))]"
                lines.append(DocumentLine("\(match) → \(backend)\(filters)", indent: 3))
            }
        }
        // Notes of the whole project (no gateway yet) concern every route.
        let notes = set.notes(ingress: ingress) + set.notes(ingress: "")
        if notes.isEmpty {
            lines.append(DocumentLine("Everything carries over.", theme.success, indent: 1))
        }
        for note in notes {
            let text = TerminalText.escaped(FieldError(note.field, note.reason).description)
            for (index, line) in TextWrap.lines(text, width: max(1, width - 3)).enumerated() {
                lines.append(DocumentLine([Span(index == 0 ? "! " : "  ", theme.warning), Span(line)], indent: 1))
            }
        }
        return lines
    }

    static func filterName(_ filter: APIRouteFilter) -> String {
        switch filter {
        case .requestRedirect: "RequestRedirect"
        case .urlRewrite: "URLRewrite"
        case .setRequestHeaders: "RequestHeaderModifier"
        }
    }
}

extension ScreenID {
    static let migration = ScreenID(title: "Migration")
}

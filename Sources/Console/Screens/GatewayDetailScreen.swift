import GatewayKit
import Terminal

/// Gateway detail: ports, every address with its kind and node, status, replicas, config,
/// annotations, the URL of every route path and the rendered objects. The lines are built
/// when the screen opens or the store reloads, never per key.
struct GatewayDetailScreen: ConsoleScreen {
    var project: String
    var lines: [DocumentLine]
    var scroll = 0

    init(project: String, state: ConsoleState) {
        self.project = project
        self.lines = GatewayDetailScreen.lines(project: project, state: state)
    }

    var id: ScreenID { .gatewayDetail }

    mutating func refresh(_ state: ConsoleState) {
        lines = GatewayDetailScreen.lines(project: project, state: state)
        resized(state)
    }

    mutating func resized(_ state: ConsoleState) {
        scroll = min(scroll, Document.maxOffset(count: lines.count, height: state.bodyHeight))
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<GatewayDetailScreen>] {
        let height = state.bodyHeight
        let limit = Document.maxOffset(count: lines.count, height: height)
        return Scrolling.bindings(limit: limit, height: height, \.scroll, endsInFooter: false) + [
            KeyBinding([.character("s")], "edit gateway", writes: true) { _, state, _ in
                state.openSetGateway()
                return []
            },
            KeyBinding([.character("r")], "routes") { _, state, _ in
                state.openRoutes()
                return []
            },
            .back(),
        ] + KeyBinding.common
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        Document.draw(lines, offset: scroll, in: rect, screen: &screen, theme: state.theme)
    }

    static func lines(project: String, state: ConsoleState) -> [DocumentLine] {
        let theme = state.theme
        guard let gateway = state.catalog.gateway(project: project),
            let view = state.catalog.gatewayView(project: project)
        else {
            return [DocumentLine("Gateway Not Set", theme.heading, indent: 1)]
        }
        let width = 24
        var lines: [DocumentLine] = [DocumentLine(gateway.name, theme.heading, indent: 1)]
        lines.append(.field("Namespace", gateway.namespace, labelWidth: width, theme: theme))
        lines.append(.field("Access Method", view.type.rawValue, labelWidth: width, theme: theme))
        let status = view.status.reason.map { "Pending: \($0)" } ?? "Ready"
        lines.append(
            .field("Status", status, labelWidth: width, theme: theme, valueStyle: view.status == .ready ? theme.success : theme.warning))
        lines.append(.field("Replicas", String(view.replicas), labelWidth: width, theme: theme))
        lines.append(.field("Application Governance", view.governance ? "On" : "Off", labelWidth: width, theme: theme))
        if let created = gateway.creationTimestamp {
            lines.append(.field("Created", created, labelWidth: width, theme: theme))
        }

        lines += section("Ports", theme: theme, header: row(["NAME", "PORT", "NODE PORT"], [8, 8]))
        lines += view.ports.map { port in
            DocumentLine(row([port.name, String(port.port), port.nodePort.map(String.init) ?? "-"], [8, 8]), indent: 3)
        }
        lines += section("Addresses", theme: theme, header: row(["ADDRESS", "KIND", "NODE"], [24, 22]))
        lines += view.addresses.isEmpty
            ? [DocumentLine("Pending: \(view.status.reason ?? "none assigned")", theme.warning, indent: 3)]
            : view.addresses.map { DocumentLine(row([$0.address, $0.kind.rawValue, $0.node ?? "-"], [24, 22]), indent: 3) }
        lines += section("Access URLs", theme: theme)
        lines += list(view.urls, theme: theme)
        lines += section("Configuration Options", theme: theme)
        lines += list(view.config.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }, theme: theme)
        lines += section("Annotations", theme: theme)
        lines += list(view.annotations.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }, theme: theme)

        let routes = state.catalog.routes(project: project)
        lines += section("Route URLs (\(Plural.count(routes.count, "route")))", theme: theme)
        var routeLines: [DocumentLine] = []
        for route in routes {
            for access in AccessURL.all(route: route, gateway: view) {
                let target = "\(access.service):\(access.port)"
                routeLines.append(
                    DocumentLine(
                        [
                            Span(route.name.padded(to: 18, ellipsis: theme.glyphs.ellipsis) + " "),
                            Span(access.url ?? "-", access.url == nil ? theme.dim : theme.plain),
                            Span(" \(theme.glyphs.arrow) \(target)", theme.dim),
                        ], indent: 3))
            }
        }
        lines += routeLines.isEmpty ? list([], theme: theme) : routeLines

        lines += section("Objects (\(state.inventory?.settings.gatewayFlavor.rawValue ?? "Gateway") flavour)", theme: theme)
        let flavor = state.inventory?.settings.gatewayFlavor ?? .gatewayCRD
        let yaml = ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(gateway, flavor: flavor))
        lines += yamlLines(yaml, theme: theme)
        return lines
    }

    private static func section(_ title: String, theme: Theme, header: String? = nil) -> [DocumentLine] {
        var lines: [DocumentLine] = [.blank, DocumentLine(title, theme.heading, indent: 1)]
        if let header { lines.append(DocumentLine(header, theme.label, indent: 3)) }
        return lines
    }

    private static func list(_ items: [String], theme: Theme) -> [DocumentLine] {
        items.isEmpty ? [DocumentLine("-", theme.dim, indent: 3)] : items.map { DocumentLine($0, indent: 3) }
    }

    /// Cells padded to `widths` (the last cell unpadded): a table as text lines.
    private static func row(_ cells: [String], _ widths: [Int]) -> String {
        cells.enumerated().map { index, cell in
            index < widths.count ? cell.padded(to: widths[index] - 1, ellipsis: "~") + " " : cell
        }.joined()
    }

    static func yamlLines(_ yaml: String, theme: Theme) -> [DocumentLine] {
        guard !yaml.isEmpty else { return [DocumentLine("(no manifest rendered)", theme.dim, indent: 3)] }
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        while lines.last == "" { lines.removeLast() }
        return lines.map { DocumentLine(String($0), indent: 3) }
    }
}

/// Scroll keys shared by the document screens.
enum Scrolling {
    static func apply(_ key: Key, offset: Int, limit: Int, height: Int) -> Int {
        let page = max(1, height - 1)
        let next: Int
        switch key {
        case .up, .character("k"): next = offset - 1
        case .down, .character("j"): next = offset + 1
        case .pageUp, .ctrl("b"): next = offset - page
        case .pageDown, .ctrl("f"), .character(" "): next = offset + page
        case .home, .character("g"): next = 0
        case .end, .character("G"): next = limit
        default: next = offset
        }
        return min(max(0, next), limit)
    }
}

extension Scrolling {
    /// The scroll keys as bindings of a screen whose offset is at `offset`.
    static func bindings<S>(
        limit: Int, height: Int, _ offset: WritableKeyPath<S, Int> & Sendable, endsInFooter: Bool = true
    ) -> [KeyBinding<S>] {
        let scroll: KeyBinding<S>.Action = { screen, _, key in
            screen[keyPath: offset] = Scrolling.apply(key, offset: screen[keyPath: offset], limit: limit, height: height)
            return []
        }
        return [
            KeyBinding([.up, .down, .character("j"), .character("k")], "scroll", action: scroll),
            KeyBinding(
                [.pageUp, .pageDown], more: [.ctrl("b"), .ctrl("f"), .character(" ")], "page", footer: false, action: scroll),
            KeyBinding(
                [.character("g"), .character("G")], more: [.home, .end], "top/bottom", footer: endsInFooter, action: scroll),
        ]
    }
}

extension ScreenID {
    static let gatewayDetail = ScreenID(title: "Gateway")
}

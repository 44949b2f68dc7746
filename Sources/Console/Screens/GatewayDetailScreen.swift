import GatewayKit
import Terminal

/// Gateway detail: ports, every address with its kind and node, status, replicas, config,
/// annotations, the URL of every route path and the rendered objects. The lines are built
/// when the screen opens or the store reloads, never per key.
struct GatewayDetailScreen: Hashable, Sendable {
    var project: String
    var lines: [DocumentLine]
    var scroll = 0

    init(project: String, state: ConsoleState) {
        self.project = project
        self.lines = GatewayDetailScreen.lines(project: project, state: state)
    }

    mutating func rebuild(_ state: ConsoleState) {
        lines = GatewayDetailScreen.lines(project: project, state: state)
        scroll = min(scroll, Document.maxOffset(count: lines.count, height: state.bodyHeight))
    }

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard var detail = state.detail else { return [] }
        let height = state.bodyHeight
        let limit = Document.maxOffset(count: detail.lines.count, height: height)
        switch key {
        case .escape, .left, .character("h"):
            state.back()
            return []
        case .character("s"):
            guard !state.refusesWrite("setting the gateway") else { return [] }
            state.openSetGateway()
            return []
        case .character("r"):
            state.openRoutes()
            return []
        default:
            detail.scroll = Scrolling.apply(key, offset: detail.scroll, limit: limit, height: height)
        }
        state.detail = detail
        return []
    }

    static func hints(_ state: ConsoleState) -> [KeyHint] {
        [
            KeyHint(key: "↑↓/jk", label: "scroll"), KeyHint(key: "PgUp/PgDn", label: "page", footer: false),
            .write("s", "edit gateway"), KeyHint(key: "r", label: "routes"), .back, .help, .quit, .command,
            .interrupt,
        ]
    }

    static func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard let detail = state.detail else { return }
        Document.draw(detail.lines, offset: detail.scroll, in: rect, screen: &screen, theme: state.theme)
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
        lines += section("Route URLs (\(routes.count) routes)", theme: theme)
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

import GatewayKit
import Terminal

/// The gateway detail's Overview: ports, every address with its kind and node, status,
/// replicas, config, annotations, the URL of every route path, and the gateway's last
/// change from the audit log. Built when the screen opens, the store reloads or the last
/// change arrives, never per key.
struct GatewayOverviewSection: Hashable, Sendable {
    var document = DocumentSection()

    init(project: String, state: ConsoleState, scroll: Int = 0) {
        document.lines = GatewayOverviewSection.lines(project: project, state: state)
        document.scroll = scroll
        document.clampScroll(height: GatewayDetailScreen.sectionHeight(state))
    }

    var scroll: Int { document.scroll }
    mutating func clampScroll(height: Int) { document.clampScroll(height: height) }
    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) { document.draw(state, in: rect, screen: &screen) }

    func bindings(height: Int) -> [KeyBinding<GatewayDetailScreen>] {
        document.scrollBindings(height: height, \GatewayDetailScreen.overview.document.scroll)
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
        if state.hasChangeHistory {
            // The action and time first, who on a line of its own: a key's fingerprint is long.
            switch state.knownChange(of: .gateway(gateway)) {
            case nil:
                lines.append(.field("Last Change", "reading the audit log\(theme.glyphs.ellipsis)", labelWidth: width, theme: theme))
            case let known?:
                if let change = known.change {
                    lines.append(
                        .field("Last Change", TerminalText.escaped("\(change.action) \(change.time)"), labelWidth: width, theme: theme))
                    lines.append(.field("Changed By", TerminalText.escaped(change.who), labelWidth: width, theme: theme))
                } else {
                    lines.append(.field("Last Change", "none recorded", labelWidth: width, theme: theme, valueStyle: theme.dim))
                }
            }
        }

        let row = GatewayDetailScreen.row
        let section = GatewayDetailScreen.heading
        lines += section("Ports", theme, row(["NAME", "PORT", "NODE PORT"], [8, 8]))
        lines += view.ports.map { port in
            DocumentLine(row([port.name, String(port.port), port.nodePort.map(String.init) ?? "-"], [8, 8]), indent: 3)
        }
        lines += section("Addresses", theme, row(["ADDRESS", "KIND", "NODE"], [24, 22]))
        lines += view.addresses.isEmpty
            ? [DocumentLine("Pending: \(view.status.reason ?? "none assigned")", theme.warning, indent: 3)]
            : view.addresses.map { DocumentLine(row([$0.address, $0.kind.rawValue, $0.node ?? "-"], [24, 22]), indent: 3) }
        lines += section("Access URLs", theme, nil)
        lines += list(view.urls, theme: theme)
        lines += section("Configuration Options", theme, nil)
        lines += list(view.config.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }, theme: theme)
        lines += section("Annotations", theme, nil)
        lines += list(view.annotations.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }, theme: theme)

        let routes = state.catalog.routes(project: project)
        lines += section("Route URLs (\(Plural.count(routes.count, "route")))", theme, nil)
        var routeLines: [DocumentLine] = []
        let conflicts = state.catalog.conflicts(project: project)
        for route in routes {
            for access in AccessURL.all(route: route, gateway: view, conflicts: conflicts) {
                let target = "\(access.service):\(access.port)"
                routeLines.append(
                    DocumentLine(
                        [
                            Span(route.name.padded(to: 18, ellipsis: theme.glyphs.ellipsis) + " "),
                            Span(access.url ?? access.notServed ?? "-", access.url == nil ? theme.dim : theme.plain),
                            Span(" \(theme.glyphs.arrow) \(target)", theme.dim),
                        ], indent: 3))
            }
        }
        lines += routeLines.isEmpty ? list([], theme: theme) : routeLines
        return lines
    }

    private static func list(_ items: [String], theme: Theme) -> [DocumentLine] {
        items.isEmpty ? [DocumentLine("-", theme.dim, indent: 3)] : items.map { DocumentLine($0, indent: 3) }
    }
}

/// `route edit 2026-12-02T07:00:00Z by SHA256:… op@laptop`: a last change in one line,
/// who last (the part a narrow terminal cuts).
enum LastChangeText {
    static func describe(_ change: ObjectChange) -> String {
        "\(change.action) \(change.time) by \(change.who)"
    }
}

/// The gateway detail's YAML: the objects the gateway is rendered to, in the workspace's flavour.
struct GatewayYAMLSection: Hashable, Sendable {
    var document = DocumentSection()

    init(project: String, state: ConsoleState, scroll: Int = 0) {
        let theme = state.theme
        if let gateway = state.catalog.gateway(project: project) {
            let flavor = state.inventory?.settings.gatewayFlavor ?? .gatewayCRD
            document.lines =
                [DocumentLine("Objects (\(flavor.rawValue) flavour)", theme.heading, indent: 1)]
                + GatewayYAMLSection.yamlLines(ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(gateway, flavor: flavor)), theme: theme)
        } else {
            document.lines = [DocumentLine("Gateway Not Set", theme.heading, indent: 1)]
        }
        document.scroll = scroll
        document.clampScroll(height: GatewayDetailScreen.sectionHeight(state))
    }

    var scroll: Int { document.scroll }
    mutating func clampScroll(height: Int) { document.clampScroll(height: height) }
    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) { document.draw(state, in: rect, screen: &screen) }

    func bindings(height: Int) -> [KeyBinding<GatewayDetailScreen>] {
        document.scrollBindings(height: height, \GatewayDetailScreen.yaml.document.scroll, endsInFooter: true)
    }

    static func yamlLines(_ yaml: String, theme: Theme) -> [DocumentLine] {
        guard !yaml.isEmpty else { return [DocumentLine("(no manifest rendered)", theme.dim, indent: 3)] }
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        while lines.last == "" { lines.removeLast() }
        return lines.map { DocumentLine(String($0), indent: 3) }
    }
}

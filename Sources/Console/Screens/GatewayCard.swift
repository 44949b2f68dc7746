import GatewayKit
import Terminal

/// The gateway card of a project's Internet Access page, as KubeSphere's console shows it,
/// with what KubeSphere left out: every address with its kind (EIP first), "Pending" with
/// the reason while nothing is assigned, and stale auto-generated hosts.
enum GatewayCard {
    /// The label column: KubeSphere's labels at the design size, shorter on narrow terminals.
    static func labelWidth(_ width: Int) -> Int { width >= 60 ? 24 : 15 }
    /// How many route URLs the page lists before pointing at the Routes screen.
    static let routeURLLimit = 6

    static func lines(_ state: ConsoleState, project: String, width: Int) -> [DocumentLine] {
        let labelWidth = labelWidth(width)
        let theme = state.theme
        guard state.inventory != nil else { return [DocumentLine("Loading…", theme.dim, indent: 1)] }
        var lines: [DocumentLine]
        let gateway: GatewayView
        if let own = state.catalog.gatewayView(project: project) {
            gateway = own
            lines = [DocumentLine("Gateway", theme.heading, indent: 1)]
        } else if let cluster = state.catalog.gatewayView(project: Gateway.clusterGatewayProject) {
            // KubeSphere's cluster gateway serves every project without one of its own, and
            // KubeSphere refuses project gateways while it exists.
            gateway = cluster
            let note = "This project is served by the cluster gateway \(Gateway.name(project: Gateway.clusterGatewayProject)); "
                + "KubeSphere allows no project gateway while it exists."
            lines = [DocumentLine("Cluster Gateway", theme.heading, indent: 1)]
                + wrap(note, width: width - 2).map { DocumentLine($0, theme.dim, indent: 1) }
        } else {
            return notSet(state)
        }
        func field(_ label: String, _ value: String, _ style: Style? = nil) {
            lines.append(.field(label, value, labelWidth: labelWidth, theme: theme, valueStyle: style))
        }
        func more(_ value: String, _ style: Style? = nil) {
            lines.append(.field("", value, labelWidth: labelWidth, theme: theme, valueStyle: style))
        }
        field("Access Method", gateway.type.rawValue)
        let addressWidth = gateway.addresses.map(\.address.count).max() ?? 0
        let kindWidth = gateway.addresses.map(\.kind.rawValue.count).max() ?? 0
        let addresses = gateway.addresses.map { address in
            [
                address.address.padded(to: addressWidth, ellipsis: theme.glyphs.ellipsis),
                address.node == nil ? address.kind.rawValue : address.kind.rawValue.padded(to: kindWidth, ellipsis: theme.glyphs.ellipsis),
                address.node,
            ]
                .compactMap { $0 }.joined(separator: "  ")
        }
        switch gateway.type {
        case .nodePort:
            field("Gateway Address", addresses.first ?? "-")
            addresses.dropFirst().forEach { more($0) }
            field("Node Port", gateway.nodePortSummary)
        case .loadBalancer:
            if addresses.isEmpty {
                field("External Address", "Pending", theme.warning)
            } else {
                field("External Address", addresses[0])
                addresses.dropFirst().forEach { more($0) }
            }
        }
        switch gateway.status {
        case .ready: field("Status", "Ready", theme.success)
        case .pending(let reason), .failed(let reason), .legacy(let reason):
            let style = gateway.status == .failed(reason: reason) ? theme.error : theme.warning
            field("Status", gateway.status.name, style)
            // The reason is what the operator acts on: wrapped, never cut.
            for line in wrap(reason, width: width - labelWidth - 2) { more(line, style) }
        }
        field("Application Governance", gateway.governance ? "On" : "Off")
        let annotations = gateway.annotations.sorted { $0.key < $1.key }
        // Provider annotation keys are long: they get the full width under their label.
        field("Annotations", annotations.isEmpty ? "-" : "")
        for annotation in annotations {
            lines.append(DocumentLine("\(annotation.key): \(annotation.value)", indent: 3))
        }
        field("Access URLs", gateway.urls.first ?? "-")
        gateway.urls.dropFirst().forEach { more($0) }
        lines += staleHostLines(state)
        lines += routeURLLines(state, project: project, gateway: gateway)
        return lines
    }

    /// Words of `text` in lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 8 else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.terminalWidth + 1 + word.terminalWidth > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func notSet(_ state: ConsoleState) -> [DocumentLine] {
        let theme = state.theme
        var lines = [
            DocumentLine("Gateway Not Set", theme.heading, indent: 1),
            .blank,
            DocumentLine("The gateway is the project's entry for routes: an Nginx Ingress", indent: 1),
            DocumentLine("Controller reached through NodePort or a LoadBalancer.", indent: 1),
            .blank,
        ]
        if state.readOnly {
            lines.append(DocumentLine("Read-only: the gateway cannot be set here.", theme.dim, indent: 1))
        } else {
            lines.append(DocumentLine([Span("Press "), Span("s", theme.key), Span(" to Set Gateway.")], indent: 1))
        }
        return lines
    }

    private static func staleHostLines(_ state: ConsoleState) -> [DocumentLine] {
        guard !state.staleHosts.isEmpty else { return [] }
        let theme = state.theme
        let count = state.staleHosts.count
        var lines: [DocumentLine] = [
            .blank,
            DocumentLine(
                "\(theme.glyphs.warningMark) \(Plural.count(count, "auto-generated host")) no longer \(Plural.verb(count, one: "matches", many: "match")) the gateway:",
                theme.warning, indent: 1),
        ]
        for stale in state.staleHosts.prefix(4) {
            let target = stale.replacement ?? "(no address yet)"
            lines.append(DocumentLine("\(stale.route): \(stale.host) \(theme.glyphs.arrow) \(target)", indent: 3))
        }
        if count > 4 { lines.append(DocumentLine("\(theme.glyphs.ellipsis) and \(count - 4) more", theme.dim, indent: 3)) }
        if !state.readOnly {
            lines.append(DocumentLine([Span("Press "), Span("u", theme.key), Span(count == 1 ? " to regenerate it." : " to regenerate them.")], indent: 3))
        }
        return lines
    }

    private static func routeURLLines(_ state: ConsoleState, project: String, gateway: GatewayView) -> [DocumentLine] {
        let theme = state.theme
        let routes = state.catalog.routes(project: project)
        var lines: [DocumentLine] = [.blank, DocumentLine("Routes (\(routes.count))", theme.heading, indent: 1)]
        guard !routes.isEmpty else {
            lines.append(DocumentLine("No routes yet: press r, then n to create one.", theme.dim, indent: 1))
            return lines
        }
        var shown = 0
        let conflicts = state.catalog.conflicts(project: project)
        outer: for route in routes {
            for access in AccessURL.all(route: route, gateway: gateway, conflicts: conflicts) {
                guard shown < routeURLLimit else { break outer }
                lines.append(
                    DocumentLine(
                        [
                            Span(route.name.padded(to: 20, ellipsis: theme.glyphs.ellipsis) + " "),
                            Span(access.url ?? access.notServed ?? "-", access.url == nil ? theme.dim : theme.plain),
                        ], indent: 3))
                shown += 1
            }
        }
        lines.append(DocumentLine([Span("r", theme.key), Span(" lists every route with its URLs")], indent: 3))
        return lines
    }
}

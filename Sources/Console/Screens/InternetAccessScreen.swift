import GatewayKit
import Terminal

/// A project's Internet Access page: the gateway card, stale hosts, the route URLs.
struct InternetAccessScreen: Hashable, Sendable {
    var scroll = 0

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard let project = state.project else { return [] }
        let hasGateway = state.catalog.gateway(project: project) != nil
        switch key {
        case .up, .character("k"): state.access.scroll = max(0, state.access.scroll - 1)
        case .down, .character("j"):
            let count = GatewayCard.lines(state, project: project, width: state.size.columns).count
            state.access.scroll = min(state.access.scroll + 1, Document.maxOffset(count: count, height: state.bodyHeight))
        case .escape, .left, .character("h"): state.back()
        case .character("s"):
            guard !state.refusesWrite("setting the gateway") else { return [] }
            guard state.inventory != nil else { return [] }
            state.openSetGateway()
        case .character("r"): state.openRoutes()
        case .character("g"), .enter:
            if hasGateway {
                state.openGatewayDetail()
            } else {
                state.flash = .info(state.readOnly ? "Gateway not set." : "Gateway not set: press s to Set Gateway.")
            }
        case .character("D"):
            guard !state.refusesWrite("deleting the gateway") else { return [] }
            guard hasGateway else {
                state.flash = .info("Gateway not set: nothing to delete.")
                return []
            }
            state.overlay = .confirm(
                Confirmation(
                    prompt: "Delete the gateway of \(project)? Its routes stop being reachable.",
                    action: .deleteGateway(project: project)))
        case .character("u"):
            return regenerateStaleHosts(&state, project: project)
        case .character("y"):
            guard let gateway = state.catalog.gateway(project: project) else { return [] }
            let flavor = state.inventory?.settings.gatewayFlavor ?? .gatewayCRD
            state.openYAML(
                title: "Gateway \(project) (\(flavor.rawValue) flavour)",
                text: ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(gateway, flavor: flavor)))
        default: break
        }
        return []
    }

    /// The routes with their stale auto-generated hosts replaced (and TLS hosts with them).
    static func regenerateStaleHosts(_ state: inout ConsoleState, project: String) -> [Effect] {
        guard !state.staleHosts.isEmpty else { return [] }
        guard !state.refusesWrite("regenerating hosts") else { return [] }
        var updated: [String: Route] = [:]
        for stale in state.staleHosts {
            guard let replacement = stale.replacement else { continue }
            guard var route = updated[stale.route] ?? state.inventory?.route(project: project, name: stale.route),
                route.rules.indices.contains(stale.ruleIndex)
            else { continue }
            route.rules[stale.ruleIndex].host = replacement
            for index in route.tls.indices {
                route.tls[index].hosts = route.tls[index].hosts.map { $0 == stale.host ? replacement : $0 }
            }
            updated[stale.route] = route
        }
        guard !updated.isEmpty else {
            state.flash = .error("The gateway has no address yet: nothing to regenerate the hosts from.")
            return []
        }
        state.flash = .info("Regenerating \(updated.count) route host\(updated.count == 1 ? "" : "s")…")
        return [.regenerateHosts(updated.values.sorted { $0.name < $1.name })]
    }

    static func hints(_ state: ConsoleState) -> [KeyHint] {
        let hasGateway = state.project.flatMap { state.catalog.gateway(project: $0) } != nil
        var hints: [KeyHint] = [
            .write("s", hasGateway ? "edit gateway" : "set gateway"),
            KeyHint(key: "r", label: "routes"),
        ]
        if hasGateway {
            hints.append(KeyHint(key: "g", label: "detail"))
            hints.append(KeyHint(key: "y", label: "yaml", footer: false))
            hints.append(.write("D", "delete"))
        }
        if !state.staleHosts.isEmpty { hints.append(.write("u", "regenerate hosts")) }
        hints += [.back, .help, .quit, .move, .command, .interrupt]
        return hints
    }

    static func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard let project = state.project else { return }
        let lines = GatewayCard.lines(state, project: project, width: rect.width)
        Document.draw(lines, offset: state.access.scroll, in: rect, screen: &screen, theme: state.theme)
    }
}

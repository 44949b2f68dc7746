import GatewayKit
import Terminal

/// A project's Internet Access page: the gateway card, stale hosts, the route URLs.
struct InternetAccessScreen: ConsoleScreen {
    var scroll = 0

    var id: ScreenID { .internetAccess }

    func crumbs(_ state: ConsoleState) -> [String] {
        let alias = state.project.flatMap { state.inventory?.project($0)?.alias }
        return [[state.project ?? "?", alias.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "), id.title]
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<InternetAccessScreen>] {
        let project = state.project ?? ""
        let hasGateway = state.catalog.gateway(project: project) != nil
        var bindings: [KeyBinding<InternetAccessScreen>] = [
            KeyBinding([.character("s")], hasGateway ? "edit gateway" : "set gateway", writes: true) { _, state, _ in
                guard !state.refusesWrite("setting the gateway"), state.inventory != nil else { return [] }
                state.openSetGateway()
                return []
            },
            KeyBinding([.character("r")], "routes") { _, state, _ in
                state.openRoutes()
                return []
            },
            KeyBinding([.character("m")], "migration", footer: false) { _, state, _ in
                state.openMigration()
                return []
            },
            KeyBinding([.character("g")], more: [.enter], "detail", footer: hasGateway) { _, state, _ in
                if hasGateway {
                    state.openGatewayDetail()
                } else {
                    state.flash = .info(state.readOnly ? "Gateway not set." : "Gateway not set: press s to Set Gateway.")
                }
                return []
            },
        ]
        if hasGateway {
            bindings.append(
                KeyBinding([.character("y")], "yaml", footer: false) { _, state, _ in
                    guard let gateway = state.catalog.gateway(project: project) else { return [] }
                    let flavor = state.inventory?.settings.gatewayFlavor ?? .gatewayCRD
                    state.openYAML(
                        title: "Gateway \(project) (\(flavor.rawValue) flavour)",
                        text: ManifestRenderer.yaml(ManifestRenderer.gatewayObjects(gateway, flavor: flavor)))
                    return []
                })
            bindings.append(
                KeyBinding([.character("D")], "delete", writes: true) { _, state, _ in
                    state.overlay = .confirm(
                        Confirmation(
                            prompt: "Delete the gateway of \(project)? Its routes stop being reachable.",
                            action: .deleteGateway(project: project)))
                    return []
                })
        }
        if state.catalog.gateway(project: project)?.controllerState == .legacyNeedsUpgrade {
            bindings.append(
                KeyBinding([.character("U")], "upgrade gateway", writes: true) { _, state, _ in
                    guard !state.refusesWrite("upgrading the gateway") else { return [] }
                    state.overlay = .confirm(
                        Confirmation(
                            prompt: "Upgrade the legacy gateway of \(project) to a Gateway CR, as KubeSphere does? "
                                + "Its controller restarts: routes are unreachable for a moment.",
                            action: .upgradeGateway(project: project)))
                    return []
                })
        }
        if !state.staleHosts.isEmpty {
            bindings.append(
                KeyBinding([.character("u")], "regenerate hosts", writes: true) { _, state, _ in
                    InternetAccessScreen.regenerateStaleHosts(&state, project: project)
                })
        }
        bindings.append(.back())
        bindings.append(
            KeyBinding([.up, .down, .character("j"), .character("k")], "scroll", footer: false) { screen, state, key in
                let count = GatewayCard.lines(state, project: project, width: state.size.columns).count
                let limit = Document.maxOffset(count: count, height: state.bodyHeight)
                screen.scroll = min(max(0, screen.scroll + (key == .up || key == .character("k") ? -1 : 1)), limit)
                return []
            })
        return bindings + KeyBinding.common
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
        state.flash = .info("Regenerating the hosts of \(Plural.count(updated.count, "route"))…")
        return [.regenerateHosts(updated.values.sorted { $0.name < $1.name })]
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard let project = state.project else { return }
        let lines = GatewayCard.lines(state, project: project, width: rect.width)
        Document.draw(lines, offset: scroll, in: rect, screen: &screen, theme: state.theme)
    }
}

extension ScreenID {
    static let internetAccess = ScreenID(title: "Internet Access")
}

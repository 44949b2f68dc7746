import GatewayKit

/// What store results do to the state: a load refreshes every open screen keeping
/// selections, filters and typed text; saves and deletes report and reload.
extension ConsoleState {
    /// A load, unless one is running: then one more after it (changes come in bursts).
    mutating func requestLoad() -> [Effect] {
        if loadInFlight {
            reloadQueued = true
            return []
        }
        loadInFlight = true
        return [.load]
    }

    /// The first load, as the run loop starts.
    public mutating func start() -> [Effect] { requestLoad() }

    mutating func applyLoaded(_ result: Result<Inventory, StoreError>) -> [Effect] {
        loadInFlight = false
        var effects: [Effect] = []
        if reloadQueued {
            reloadQueued = false
            effects += requestLoad()
        }
        switch result {
        case .failure(let error):
            flash = .error("Could not load: \(error)", sticky: true)
        case .success(let loaded):
            if flash?.sticky == true, flash?.text.hasPrefix("Could not load") == true { flash = nil }
            // An unchanged store (our own save echoed by the watch) costs no rebuild.
            if loaded != inventory {
                refresh(with: loaded)
            } else if let name = routes?.reveal {
                // The watch brought the saved route in already: select it now.
                let height = bodyHeight
                updateScreen(RoutesScreen.self) { routes in
                    routes.reveal = nil
                    routes.select(named: name, bodyHeight: height)
                }
            }
            rebaseEditors()
        }
        return effects
    }

    private mutating func refresh(with loaded: Inventory) {
        let selectedProject = screen(ProjectsScreen.self)?.selectedName(catalog) ?? project
        inventory = loaded
        catalog = Catalog(loaded)
        if let name = selectedProject, let index = catalog.projectIndex(named: name) {
            let count = catalog.projectRows.count
            let height = bodyHeight - 1
            updateScreen(ProjectsScreen.self) { $0.cursor.moveTo(index, count: count, height: height) }
        }
        if let current = project, loaded.project(current) == nil {
            flash = .error("Project \(current) does not exist (any more).")
            project = nil
            openProjects()
        }
        refreshScreens { screen, state in screen.refresh(state) }
        if let project, !staleHosts.isEmpty {
            // Keep only what is still stale (another process may have fixed some).
            let named = Set(staleHosts.map(\.route))
            staleHosts = AutoDomain.staleHosts(
                routes: catalog.routes(project: project).filter { named.contains($0.name) }, project: project,
                gateway: catalog.gatewayView(project: project), base: loaded.settings.autoDomainBase)
        }
    }

    /// After `R` on a conflict: take the stored version, keep what was typed.
    private mutating func rebaseEditors() {
        if editor?.rebasePending == true {
            let inventory = self.inventory
            var message: Flash?
            updateScreen(RouteEditor.self) { editor in
                let stored = editor.original.flatMap { inventory?.route(project: editor.project, name: $0.name) }
                message = editor.rebase(on: stored)
            }
            flash = message
        }
        if setGateway?.rebasePending == true {
            let catalog = self.catalog
            updateScreen(SetGatewayScreen.self) { form in
                let stored = catalog.gateway(project: form.project)
                form.rebasePending = false
                form.baseResourceVersion = stored?.resourceVersion
                form.isEdit = stored != nil
            }
            flash = .info("Reloaded the gateway: your choices are kept; Enter saves them over the stored version.")
        }
    }

    mutating func applyGatewaySaved(_ result: Result<GatewayChange, StoreError>) -> [Effect] {
        switch result {
        case .success(let change):
            let project = change.gateway.project
            // Show the saved gateway (its node ports) at once; the reload confirms it.
            if var loaded = inventory {
                loaded.gateways.removeAll { $0.project == project }
                loaded.gateways.append(change.gateway)
                refresh(with: loaded)
            }
            if self.project == project { staleHosts = change.staleHosts }
            close(SetGatewayScreen.self)
            flash = .success("Gateway of \(project) saved: \(change.gateway.type.rawValue).")
        case .failure(let error):
            updateScreen(SetGatewayScreen.self) { $0.saving = false }
            if case .conflict = error {
                updateScreen(SetGatewayScreen.self) { $0.conflict = true }
                flash = .error("The gateway changed since you opened it: R reloads it (your choices are kept), Esc cancels.", sticky: true)
            } else {
                flash = .error("Gateway not saved: \(error)", sticky: true)
            }
            return []
        }
        return requestLoad()
    }

    mutating func applyGatewayDeleted(project: String, _ result: Result<Void, StoreError>) -> [Effect] {
        switch result {
        case .success:
            staleHosts = []
            flash = .success("Gateway of \(project) deleted.")
            if top == .gatewayDetail { back() }
        case .failure(let error):
            flash = .error("Gateway not deleted: \(error)")
        }
        return requestLoad()
    }

    mutating func applyRouteSaved(_ result: Result<Route, StoreError>) -> [Effect] {
        switch result {
        case .success(let route):
            close(RouteEditor.self)
            updateScreen(RoutesScreen.self) { $0.reveal = route.name }
            // Show the saved route at once, selected, as a saved gateway is; the reload
            // confirms it.
            if var loaded = inventory {
                loaded.routes.removeAll { $0.namespace == route.namespace && $0.name == route.name }
                loaded.routes.append(route)
                refresh(with: loaded)
            }
            flash = .success("Route \(route.name) saved.")
            return requestLoad()
        case .failure(let error):
            updateScreen(RouteEditor.self) { $0.saving = false }
            switch error {
            case .conflict:
                updateScreen(RouteEditor.self) { $0.conflict = true }
                flash = .error("The route changed since you opened it: R reloads it (your typing is kept), Esc cancels.", sticky: true)
            case .invalid(_, let errors):
                updateScreen(RouteEditor.self) { editor in
                    editor.storeErrors = errors
                    editor.revalidate()
                }
                flash = .error("The store refused the route: see the fields marked.", sticky: true)
            default:
                flash = .error("Route not saved: \(error)", sticky: true)
            }
            return []
        }
    }
}

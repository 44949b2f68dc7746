import GatewayKit

/// Moving between screens. The stack always reads as a path the operator could have
/// walked: Projects › Internet Access › Routes › Route, so Esc goes one step up.
extension ConsoleState {
    mutating func openProject(_ name: String) {
        if project != name { staleHosts = [] }
        project = name
        access = InternetAccessScreen()
        closeAbove(.internetAccess)
        stack = [.projects, .internetAccess]
    }

    mutating func openRoutes() {
        guard let project else { return }
        if routes?.project != project {
            routes = RoutesScreen(project: project, catalog: catalog)
        }
        closeAbove(.routes)
        stack = [.projects, .internetAccess, .routes]
    }

    mutating func openGatewayDetail() {
        guard let project else { return }
        detail = GatewayDetailScreen(project: project, state: self)
        closeAbove(.gatewayDetail)
        stack = [.projects, .internetAccess, .gatewayDetail]
    }

    mutating func openSetGateway() {
        guard let project else { return }
        setGateway = SetGatewayScreen(project: project, gateway: catalog.gateway(project: project))
        stack = [.projects, .internetAccess, .setGateway]
    }

    mutating func openEditor(editing route: Route?) {
        guard let project else { return }
        editor = RouteEditor(project: project, editing: route, state: self)
        if top != .routes { openRoutes() }
        stack.append(.routeEditor)
    }

    mutating func openYAML(title: String, text: String) {
        yaml = YAMLViewer(title: title, text: text)
        stack.append(.yaml)
    }

    /// Esc: one screen up, dropping the state of the screen left.
    mutating func back() {
        guard stack.count > 1 else { return }
        let leaving = stack.removeLast()
        release(leaving)
    }

    /// Drops the state of every screen from `screen` on, keeping what is below.
    private mutating func closeAbove(_ screen: ScreenID) {
        for id in stack where id != .projects && id != .internetAccess && id != screen { release(id) }
    }

    private mutating func release(_ screen: ScreenID) {
        switch screen {
        case .setGateway: setGateway = nil
        case .gatewayDetail: detail = nil
        case .routeEditor: editor = nil
        case .yaml: yaml = nil
        case .projects, .internetAccess, .routes: break
        }
    }

    /// Refuses a write in read-only mode, saying what was refused. Returns true when refused.
    mutating func refusesWrite(_ what: String) -> Bool {
        guard readOnly else { return false }
        flash = .error("read-only: \(what) is off (--read-only)")
        return true
    }
}

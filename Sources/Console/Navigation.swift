import GatewayKit

/// Moving between screens. The stack always reads as a path the operator could have
/// walked: Projects › Internet Access › Routes › Route, so Esc goes one step up.
extension ConsoleState {
    mutating func openProjects() {
        stack.removeSubrange(1...)
    }

    mutating func openProject(_ name: String) {
        if project != name { staleHosts = [] }
        project = name
        stack.removeSubrange(1...)
        stack.append(InternetAccessScreen())
    }

    /// Routes sits on Internet Access; an open Routes screen of the project is kept (its
    /// filter and selection), whatever was above it is closed.
    mutating func openRoutes() {
        guard let project else { return }
        let kept = stack.count > 2 ? stack[2] as? RoutesScreen : nil
        let routes = kept?.project == project ? kept : nil
        openAboveAccess(routes ?? RoutesScreen(project: project, catalog: catalog))
    }

    mutating func openGatewayDetail() {
        guard let project else { return }
        openAboveAccess(GatewayDetailScreen(project: project, state: self))
    }

    mutating func openMigration() {
        guard let project else { return }
        openAboveAccess(MigrationScreen(project: project, inventory: inventory))
    }

    mutating func openSetGateway() {
        guard let project else { return }
        openAboveAccess(SetGatewayScreen(project: project, gateway: catalog.gateway(project: project)))
    }

    mutating func openEditor(editing route: Route?) {
        guard let project else { return }
        let editor = RouteEditor(project: project, editing: route, state: self)
        // From Routes (out of the stack while its key runs) or from anywhere else.
        if stack.count != 3 || !(stack[2] is RoutesScreen || stack[2] is VacantScreen) { openRoutes() }
        stack.append(editor)
    }

    mutating func openYAML(title: String, text: String) {
        stack.append(YAMLViewer(title: title, text: text))
    }

    /// Esc: one screen up, dropping the state of the screen left.
    mutating func back() {
        guard stack.count > 1 else { return }
        stack.removeLast()
    }

    /// Closes the screen of a type if it is on top (a save finished, say).
    mutating func close<S: ConsoleScreen>(_ type: S.Type) {
        if stack.count > 1, stack.last is S { stack.removeLast() }
    }

    /// Projects › Internet Access › `screen`, keeping the first two as they are.
    private mutating func openAboveAccess(_ screen: any ConsoleScreen) {
        if stack.count < 2 || !(stack[1] is InternetAccessScreen || stack[1] is VacantScreen) {
            stack.removeSubrange(1...)
            stack.append(InternetAccessScreen())
        }
        stack.removeSubrange(2...)
        stack.append(screen)
    }

    /// Refuses a write in read-only mode, saying what was refused. Returns true when refused.
    mutating func refusesWrite(_ what: String) -> Bool {
        guard readOnly else { return false }
        flash = .error("read-only: \(what) is off (--read-only)")
        return true
    }
}

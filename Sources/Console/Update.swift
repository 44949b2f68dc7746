import GatewayKit
import Terminal

/// The console's one state transition: a message in, the state changed in place, the
/// effects to perform out. No I/O happens here.
public func update(_ state: inout ConsoleState, _ message: Message) -> [Effect] {
    switch message {
    case .key(let key):
        return handleKey(&state, key)
    case .resize(let size):
        state.size = size
        state.editor?.narrow = RouteEditor.isNarrow(size)
        state.keepSelectionsInView()
        return []
    case .storeChanged:
        return state.requestLoad()
    case .loaded(let result):
        return state.applyLoaded(result)
    case .gatewaySaved(let result):
        return state.applyGatewaySaved(result)
    case .gatewayDeleted(let project, let result):
        return state.applyGatewayDeleted(project: project, result)
    case .routeSaved(let result):
        return state.applyRouteSaved(result)
    case .routeDeleted(_, let name, let result):
        switch result {
        case .success: state.flash = .success("Route \(name) deleted.")
        case .failure(let error): state.flash = .error("Route \(name) not deleted: \(error)")
        }
        return state.requestLoad()
    case .hostsRegenerated(let result):
        switch result {
        case .success(let count):
            state.staleHosts = []
            state.flash = .success("Regenerated the hosts of \(count) route\(count == 1 ? "" : "s").")
        case .failure(let error):
            state.flash = .error("Hosts not regenerated: \(error)")
        }
        return state.requestLoad()
    }
}

private func handleKey(_ state: inout ConsoleState, _ key: Key) -> [Effect] {
    // Ctrl-C leaves from anywhere, whatever is open.
    if key == .ctrl("c") { return [.quit(status: 0)] }
    if state.flash?.sticky != true { state.flash = nil }
    if let overlay = state.overlay { return handleOverlayKey(&state, overlay, key) }
    if key == .function(1) {
        state.overlay = .help
        return []
    }
    if !state.isTyping {
        switch key {
        case .character("?"):
            state.overlay = .help
            return []
        case .character(":") where state.top != .routeEditor:
            // Not from the editor: a jump would drop the draft without asking.
            state.overlay = .command(TextField())
            return []
        case .character("q") where state.top != .routeEditor && state.top != .setGateway:
            return [.quit(status: 0)]
        default: break
        }
    }
    let screenBefore = state.top
    let flashBefore = state.flash
    let effects = dispatch(&state, key)
    // A sticky message (a conflict) belongs to the screen it was raised on.
    if state.top != screenBefore, state.flash == flashBefore, state.flash?.sticky == true { state.flash = nil }
    return effects
}

private func dispatch(_ state: inout ConsoleState, _ key: Key) -> [Effect] {
    switch state.top {
    case .projects: return ProjectsScreen.handle(key, &state)
    case .internetAccess: return InternetAccessScreen.handle(key, &state)
    case .setGateway: return SetGatewayScreen.handle(key, &state)
    case .gatewayDetail: return GatewayDetailScreen.handle(key, &state)
    case .routes: return RoutesScreen.handle(key, &state)
    case .routeEditor: return RouteEditor.handle(key, &state)
    case .yaml: return YAMLViewer.handle(key, &state)
    }
}

private func handleOverlayKey(_ state: inout ConsoleState, _ overlay: Overlay, _ key: Key) -> [Effect] {
    switch overlay {
    case .help:
        // Any key closes the help; it never does anything else.
        state.overlay = nil
        return []
    case .confirm(let confirmation):
        switch key {
        case .character("y"), .character("Y"):
            state.overlay = nil
            return state.confirm(confirmation.action)
        case .character("n"), .character("N"), .escape:
            state.overlay = nil
            state.flash = .info("Cancelled.")
        default: break
        }
        return []
    case .command(var field):
        switch key {
        case .escape:
            state.overlay = nil
        case .enter:
            state.overlay = nil
            return state.runCommand(field.text)
        case .backspace where field.text.isEmpty:
            state.overlay = nil
        default:
            _ = field.handle(key)
            state.overlay = .command(field)
        }
        return []
    }
}

extension ConsoleState {
    /// Whether keys go into a text field, so that `q`, `?` and `:` are text, not commands.
    var isTyping: Bool {
        switch top {
        case .routes: return routes?.typing == true
        case .setGateway: return setGateway?.isTyping == true
        case .routeEditor:
            guard let editor else { return false }
            switch editor.focus {
            case .name: return !editor.isEdit
            case .alias, .description, .host, .path, .annotationKey, .annotationValue: return true
            default: return false
            }
        default: return false
        }
    }

    mutating func confirm(_ action: Confirmation.Action) -> [Effect] {
        switch action {
        case .deleteGateway(let project):
            flash = .info("Deleting the gateway of \(project)…")
            return [.deleteGateway(project: project)]
        case .deleteRoute(let project, let name):
            flash = .info("Deleting route \(name)…")
            return [.deleteRoute(project: project, name: name)]
        case .discardRouteEdits, .discardGatewayEdits:
            back()
            return []
        }
    }

    /// `:routes`, `:gateway`, `:projects`, `:q`: jumps as k9s does.
    mutating func runCommand(_ text: String) -> [Effect] {
        let command = String(text.filter { !$0.isWhitespace }).lowercased()
        // Outside a project, a project command means the selected row of the list.
        if project == nil || top == .projects, catalog.projectRows.indices.contains(projects.cursor.selected),
            ["routes", "route", "rt", "gateway", "gw", "detail"].contains(command)
        {
            openProject(catalog.projectRows[projects.cursor.selected].name)
        }
        switch command {
        case "q", "q!", "quit", "exit": return [.quit(status: 0)]
        case "projects", "project", "ns", "p":
            stack = [.projects]
        case "routes", "route", "rt", "ingress", "ing":
            guard project != nil else { return noProject() }
            openRoutes()
        case "gateway", "gw", "access":
            guard let project else { return noProject() }
            openProject(project)
        case "detail":
            guard project != nil else { return noProject() }
            openGatewayDetail()
        case "help":
            overlay = .help
        case "":
            break
        default:
            flash = .error("Unknown command :\(command) (try :projects, :gateway, :routes, :q)")
        }
        return []
    }

    private mutating func noProject() -> [Effect] {
        flash = .error("No project chosen: pick one in the list first.")
        return []
    }

    mutating func keepSelectionsInView() {
        let height = bodyHeight
        projects.cursor.scrollIntoView(count: catalog.projectRows.count, height: height - 1)
        if let count = routes?.filter.matches.count {
            routes?.cursor.scrollIntoView(count: count, height: RoutesScreen.tableHeight(bodyHeight: height) - 1)
        }
        editor?.scrollToFocus(height: height)
        if var detail {
            detail.scroll = min(detail.scroll, Document.maxOffset(count: detail.lines.count, height: height))
            self.detail = detail
        }
    }
}

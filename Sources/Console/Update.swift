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
        state.refreshScreens { screen, state in screen.resized(state) }
        return []
    case .storeChanged:
        return state.requestLoad()
    case .notice(let text):
        state.notice = text
        return []
    case .fileSaved(let path, let failure):
        state.flash = failure.map { .error("\(path) not saved: \($0)") } ?? .success("Saved \(path).")
        return []
    case .loaded(let result):
        return state.applyLoaded(result)
    case .activity(let activity):
        return state.applyActivity(activity)
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
            state.flash = .success("Regenerated the hosts of \(Plural.count(count, "route")).")
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
    // F1 is the help everywhere, also while typing (where `?` is text).
    if key == .function(1) {
        state.overlay = .help
        return []
    }
    let screenBefore = state.top
    let flashBefore = state.flash
    let effects = state.withTopScreen { screen, state in screen.handle(key, &state) }
    // A sticky message (a conflict) belongs to the screen it was raised on.
    if state.top != screenBefore, state.flash == flashBefore, state.flash?.sticky == true { state.flash = nil }
    return effects
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
        case .tab:
            field = TextField(JumpCommand.complete(field.text))
            state.overlay = .command(field)
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
    mutating func confirm(_ action: Confirmation.Action) -> [Effect] {
        switch action {
        case .deleteGateway(let project):
            flash = .info("Deleting the gateway of \(project)…")
            return [.deleteGateway(project: project)]
        case .upgradeGateway(let project):
            flash = .info("Upgrading the gateway of \(project)…")
            return [.upgradeGateway(project: project)]
        case .deleteRoute(let project, let name):
            flash = .info("Deleting route \(name)…")
            return [.deleteRoute(project: project, name: name)]
        case .discardRouteEdits, .discardGatewayEdits:
            back()
            return []
        }
    }

}

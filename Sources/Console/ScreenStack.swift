/// The stack of screens: the top one's keys, and the screens below found by type.
extension ConsoleState {
    /// Runs `body` on the top screen and the state together. The screen is taken out of the
    /// stack meanwhile (a `VacantScreen` keeps its place), so it is changed in place, never
    /// copied; navigation in `body` may push above it, pop it, or cut the stack below it.
    mutating func withTopScreen<R>(_ body: (inout any ConsoleScreen, inout ConsoleState) -> R) -> R {
        let index = stack.count - 1
        var screen = stack[index]
        stack[index] = VacantScreen()
        let result = body(&screen, &self)
        if stack.indices.contains(index), stack[index] is VacantScreen { stack[index] = screen }
        return result
    }

    /// The topmost open screen of a type.
    func screen<S: ConsoleScreen>(_ type: S.Type) -> S? {
        for screen in stack.reversed() { if let found = screen as? S { return found } }
        return nil
    }

    /// Changes the topmost open screen of a type, if one is open.
    mutating func updateScreen<S: ConsoleScreen>(_ type: S.Type, _ body: (inout S) -> Void) {
        guard let index = stack.lastIndex(where: { $0 is S }), var screen = stack[index] as? S else { return }
        stack[index] = VacantScreen()
        body(&screen)
        stack[index] = screen
    }

    /// Every screen takes the state as it now is (after a load or a resize).
    mutating func refreshScreens(_ change: (inout any ConsoleScreen, ConsoleState) -> Void) {
        for index in stack.indices {
            var screen = stack[index]
            stack[index] = VacantScreen()
            change(&screen, self)
            stack[index] = screen
        }
    }

    var routes: RoutesScreen? {
        get { screen(RoutesScreen.self) }
        set { if let newValue { updateScreen(RoutesScreen.self) { $0 = newValue } } }
    }
    var editor: RouteEditor? {
        get { screen(RouteEditor.self) }
        set { if let newValue { updateScreen(RouteEditor.self) { $0 = newValue } } }
    }
    var setGateway: SetGatewayScreen? {
        get { screen(SetGatewayScreen.self) }
        set { if let newValue { updateScreen(SetGatewayScreen.self) { $0 = newValue } } }
    }
    var projects: ProjectsScreen { screen(ProjectsScreen.self) ?? ProjectsScreen() }

    /// Whether keys go into a text field, so that `q`, `?` and `:` are text, not commands.
    var isTyping: Bool { stack.last?.isTyping ?? false }
}

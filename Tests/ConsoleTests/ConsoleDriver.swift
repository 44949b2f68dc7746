import GatewayKit
import Terminal
import TestSupport

@testable import Console

/// A console state fed with messages as the run loop would, for tests in the operator's
/// terms: load the fixture, press keys, look at the effects and the screen.
struct ConsoleDriver {
    var state: ConsoleState
    var size: Size

    init(
        options: ConsoleOptions = ConsoleOptions(), inventory: Inventory = ConsoleFixtures.inventory(),
        size: Size = Size(columns: 80, rows: 24)
    ) {
        state = ConsoleState(options: options, location: "workspace /home/op/.local/share/kgate/workspace")
        self.size = size
        _ = update(&state, .resize(size))
        _ = state.start()
        _ = update(&state, .loaded(.success(inventory)))
    }

    /// Presses each key in turn; returns every effect they asked for.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] { press(keys) }

    @discardableResult
    mutating func press(_ keys: [Key]) -> [Effect] {
        keys.flatMap { update(&state, .key($0)) }
    }

    /// Types text, one character key each.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] { press(text.map { Key.character($0) }) }

    @discardableResult
    mutating func send(_ message: Message) -> [Effect] { update(&state, message) }

    mutating func resize(_ size: Size) {
        self.size = size
        _ = update(&state, .resize(size))
    }

    var screen: Screen { view(state, size: size) }
    var text: String { screen.text }

    /// Opens a project's Internet Access from the list, as the operator would.
    mutating func openProject(_ name: String) {
        guard let index = state.catalog.projectIndex(named: name) else { return }
        press(.home)
        press(Array(repeating: Key.down, count: index))
        press(.enter)
    }
}

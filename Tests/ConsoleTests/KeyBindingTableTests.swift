import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// One table per screen drives both the keys and the `?` help, so they cannot disagree:
/// every binding's help is in the help box, and every key it lists runs it.
@Suite struct KeyBindingTableTests {
    typealias Walk = (name: String, options: ConsoleOptions, keys: @Sendable (inout ConsoleDriver) -> Void)

    /// States whose table differs from the snapshot walks': typing, or focus on a pick.
    static let typingStates: [Walk] = [
        ("routes-typing", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .character("/")) }),
        ("editor-on-a-pick", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("r"), .enter, .tab, .tab) }),
        ("set-gateway-typing", ConsoleOptions(), { $0.openProject("demo"); $0.press(.character("s"), .ctrl("n")) }),
    ]

    /// Every screen, plus the typing states that change the table.
    static let states: [Walk] =
        SnapshotTests.screens.filter { !$0.name.hasPrefix("help") && !$0.name.hasPrefix("confirm") } + typingStates

    @Test(arguments: 0..<states.count)
    func everyBindingIsInTheHelpAndEveryListedKeyRunsIt(_ index: Int) throws {
        let (name, options, keys) = KeyBindingTableTests.states[index]
        var console = ConsoleDriver(options: options, size: Size(columns: 200, rows: 60))
        keys(&console)
        let state = console.state
        let screen = try #require(state.stack.last)
        let table = screen.bindingTable(state)
        #expect(!table.isEmpty, "\(name)")
        for (bindingKeys, help) in table {
            for key in bindingKeys {
                #expect(screen.helpOfBinding(for: key, state) == help, "\(name): \(key) is shadowed by another binding")
            }
        }
        // The help box shows each binding the operator may use, with its keys.
        var helpConsole = console
        helpConsole.press(.function(1))
        let rows = helpConsole.text.split(separator: "\n")
        for hint in state.hints {
            let key = options.ascii ? hint.helpKey.replacingArrows() : hint.helpKey
            #expect(rows.contains { $0.contains(key) && $0.contains(hint.label) }, "\(name): \(hint.helpKey) \(hint.label)")
        }
    }

    @Test func whileTypingLettersGoToTheFieldAndF1IsHelp() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .character("n"))
        console.type("q?:")
        #expect(console.state.editor?.draft.name.text == "q?:")
        #expect(console.state.overlay == nil)
        #expect(console.text.contains("F1 help"))
        console.press(.function(1))
        #expect(console.state.overlay == .help)
        #expect(console.text.contains("^U"))
        #expect(console.text.contains("clear the field"))
    }

    @Test func writeKeysAreHiddenAndRefusedWhenReadOnly() {
        var console = ConsoleDriver(options: ConsoleOptions(readOnly: true))
        console.openProject("demo")
        console.press(.character("r"))
        #expect(!console.state.hints.contains { $0.writes })
        #expect(console.press(.character("d")).isEmpty)
        #expect(console.state.overlay == nil)
        #expect(console.text.contains("read-only: delete is off"))
    }
}

import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// `:` as k9s has it: unique prefixes, Tab completion, aliases from every screen.
@Suite struct JumpCommandTests {
    @Test(arguments: [
        ("r", "routes"), ("ro", "routes"), ("ing", "routes"), ("p", "projects"), ("ns", "projects"), ("det", "detail"),
        ("acc", "gateway"), ("gw", "gateway"), ("q", "quit"), ("ex", "quit"), ("he", "help"),
    ])
    func aUniquePrefixOrAliasNamesOneCommand(_ typed: String, _ name: String) {
        #expect(JumpCommand.resolve(typed)?.name == name)
    }

    @Test func anUnknownOrAmbiguousTextNamesNone() {
        #expect(JumpCommand.resolve("zz") == nil)
        #expect(JumpCommand.resolve("") == nil)
    }

    @Test func tabCompletesTheWholeName() {
        var console = ConsoleDriver()
        console.press(.character(":"))
        console.type("det")
        console.press(.tab)
        #expect(console.state.overlay == .command(TextField("detail")))
        #expect(console.text.contains(":detail"))
    }

    @Test func theCommandLineShowsWhatTheStartMatches() {
        var console = ConsoleDriver()
        console.press(.character(":"))
        console.type("g")
        #expect(console.text.contains("gateway"))
        #expect(console.text.contains("Tab completes"))
    }

    @Test(arguments: ["ing", "access", "rt", "detail", "ro"])
    func projectCommandsWorkFromTheProjectList(_ command: String) {
        var console = ConsoleDriver()
        console.press(.character(":"))
        console.type(command)
        console.press(.enter)
        #expect(console.state.project == "demo", "\(command)")
        #expect(console.state.flash?.kind != .error, "\(command): \(console.state.flash?.text ?? "")")
    }

    @Test func aliasesWorkFromInsideAProject() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("g"))
        for (command, screen) in [("ing", ScreenID.routes), ("access", .internetAccess), ("det", .gatewayDetail), ("ns", .projects)] {
            console.press(.character(":"))
            console.type(command)
            console.press(.enter)
            #expect(console.state.top == screen, "\(command)")
        }
    }

    @Test func theHelpListsEveryCommand() {
        var console = ConsoleDriver()
        console.press(.character("?"))
        for command in JumpCommand.all { #expect(console.text.contains(":\(command.name)"), "\(command.name)") }
    }

    @Test func anUnknownCommandSaysWhatExists() {
        var console = ConsoleDriver()
        console.press(.character(":"))
        console.type("zap")
        console.press(.enter)
        #expect(console.state.flash?.text.contains(":detail") == true)
    }
}

@Suite struct JumpFromFormsTests {
    @Test func setGatewayTakesACommandButTheRouteEditorDoesNot() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("s"), .character(":"))
        #expect(console.state.overlay == .command(TextField()))
        console.press(.escape, .escape)
        console.press(.character("r"), .enter, .tab, .tab)  // the editor, on a pick
        console.press(.character(":"))
        #expect(console.state.overlay == nil)
    }
}

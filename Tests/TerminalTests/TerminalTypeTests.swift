import Glibc
import Testing
import Terminal

/// Issue 8 item 4: an unknown `xterm-*` falls back to xterm-256color with a note; a
/// terminal that cannot address the cursor is refused, never drawn on blank.
/// In the ncursesw suite, which is serialized: curses keeps its state in globals.
extension NcursesTerminalTests {
    private func openType(_ type: String, on pty: PseudoTerminal) throws -> NcursesTerminal {
        try NcursesTerminal(options: .init(
            inputDescriptor: pty.slave, outputDescriptor: pty.slave, terminalType: type, locale: "C.UTF-8", handlesSignals: false))
    }

    @Test func unknownXtermFallsBackWithANote() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try openType("xterm-kgate-unknown", on: pty)
        defer { terminal.restore() }
        #expect(terminal.terminalTypeNote == TerminalType.note(requested: "xterm-kgate-unknown", used: "xterm-256color"))
        var screen = Screen(size: Size(columns: 80, rows: 24))
        screen.put("drawn", x: 0, y: 0, style: Style(foreground: .green))
        terminal.present(screen)
        let output = pty.read(until: { $0.contains(text: "drawn") })
        #expect(output.contains(text: "\u{1B}[32m"), "xterm-256color's colors are used")
    }

    @Test func aKnownTypeHasNoNote() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try openType("xterm-256color", on: pty)
        defer { terminal.restore() }
        #expect(terminal.terminalTypeNote == nil)
    }

    @Test func aTerminalWithoutCursorAddressingIsRefused() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        #expect(throws: NcursesTerminal.Failure.noCursorAddressing("dumb")) { try openType("dumb", on: pty) }
        #expect(NcursesTerminal.Failure.noCursorAddressing("dumb").description.contains("cannot move the cursor"))
        // The refusal gave the terminal back: another one opens.
        let terminal = try openType("xterm-256color", on: pty)
        terminal.restore()
    }

    @Test func anUnknownTypeOtherThanXtermIsRefused() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        #expect(throws: NcursesTerminal.Failure.unknownTerminal("kgate-unknown")) { try openType("kgate-unknown", on: pty) }
    }

    @Test func onlyXtermNamesFallBack() {
        #expect(TerminalType.fallback(for: "xterm-kitty") == "xterm-256color")
        #expect(TerminalType.fallback(for: "xterm-256color") == nil)
        #expect(TerminalType.fallback(for: "xterm") == nil)
        #expect(TerminalType.fallback(for: "kitty") == nil)
    }
}

import Glibc
import Testing
import Terminal

/// The real backend, headless: ncursesw on the slave side of a pseudo-terminal.
/// Serialized because curses keeps its state in process globals.
@Suite("ncursesw backend", .serialized, .timeLimit(.minutes(1)))
struct NcursesTerminalTests {
    private func open(_ pty: PseudoTerminal, signals: Bool = false) throws -> NcursesTerminal {
        try NcursesTerminal(options: .init(
            inputDescriptor: pty.slave, outputDescriptor: pty.slave, terminalType: "xterm-256color",
            locale: "C.UTF-8", handlesSignals: signals))
    }

    private func frame(marker: String) -> Screen {
        var screen = Screen(size: Size(columns: 80, rows: 24))
        screen.put("kgate", x: 0, y: 0, style: Style(bold: true))
        screen.put("项目网关", x: 0, y: 1)
        screen.put("Access", x: 0, y: 2, style: Style(foreground: .green))
        for row in 4..<24 { screen.put("route-\(row)-demo.kubesphere.io", x: 2, y: row) }
        screen.put(marker, x: 40, y: 10, style: Style(reverse: true))
        return screen
    }

    @Test func drawsTextAndThenOnlyTheDifference() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        defer { terminal.restore() }
        #expect(terminal.size == Size(columns: 80, rows: 24))
        #expect(terminal.isUTF8)

        terminal.present(frame(marker: "first"))
        let first = pty.read(until: { $0.contains(text: "first") && $0.contains(text: "route-23-demo") })
        #expect(first.contains(text: "kgate"))
        #expect(first.contains(text: "项目网关"))
        #expect(first.contains(text: "route-4-demo.kubesphere.io"))
        #expect(first.contains(text: "\u{1B}[1m") || first.contains(text: "\u{1B}[0;1m"), "bold")
        #expect(first.contains(text: "\u{1B}[32m"), "green foreground")

        terminal.present(frame(marker: "other"))
        let second = pty.read(until: { $0.contains(text: "other") })
        #expect(second.contains(text: "other"))
        #expect(!second.contains(text: "route-"))
        #expect(second.count * 10 < first.count, "second frame: \(second.count) bytes, first: \(first.count)")
        #expect(second.count < 100, "one changed word: \(second.count) bytes")

        terminal.present(frame(marker: "other"))
        #expect(pty.read(until: { _ in true }).count < 16, "an unchanged frame writes (almost) nothing")
    }

    @Test func decodesTypedKeys() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        defer { terminal.restore() }
        pty.type("\u{1B}OA\u{1B}[B漢j\u{03}\u{1B}[Z")
        var keys: [Key] = []
        while keys.count < 6, case .key(let key)? = terminal.nextEvent(timeoutMilliseconds: 5000) { keys.append(key) }
        #expect(keys == [.up, .down, .character("漢"), .character("j"), .ctrl("c"), .backTab])

        pty.type("\u{1B}")  // alone: Escape once the escape delay passed
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == .key(.escape))
        pty.type("\u{1B}x")
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == .key(.alt("x")))
        #expect(terminal.nextEvent(timeoutMilliseconds: 20) == nil, "nothing typed: times out")
    }

    @Test func reportsResize() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        defer { terminal.restore() }
        terminal.present(frame(marker: "before"))
        pty.resize(columns: 100, rows: 30)
        raiseHere(SIGWINCH)  // the kernel signals only the pty's session, which the test is not
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == .resize(Size(columns: 100, rows: 30)))
        #expect(terminal.size == Size(columns: 100, rows: 30))
        _ = pty.read(until: { _ in true })
        var small = Screen(size: terminal.size)
        small.put("after", x: 0, y: 0)
        terminal.present(small)
        #expect(pty.read(until: { $0.contains(text: "after") }).contains(text: "after"))
    }

    @Test func wakeFromAnotherThreadEndsABlockedWait() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        defer { terminal.restore() }
        let waker = terminal.waker
        onAnotherThread { waker.wake() }
        #expect(terminal.nextEvent(timeoutMilliseconds: nil) == nil)
    }

    @Test func terminationSignalIsAFlagAndAWakeUp() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty, signals: true)
        defer { terminal.restore() }
        var installed = sigaction()
        sigaction(SIGTERM, nil, &installed)
        try #require(installed.__sigaction_handler.sa_handler != nil, "handler installed, else raise would kill the run")
        #expect(terminal.terminationSignal == nil)
        raiseHere(SIGTERM)
        #expect(terminal.terminationSignal == SIGTERM)
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == nil)
    }

    @Test func glyphsCursesWouldMeasureDifferentlyKeepTheirColumns() throws {
        let pty = try #require(PseudoTerminal(columns: 20, rows: 2))
        let terminal = try open(pty)
        defer { terminal.restore() }
        var screen = Screen(size: terminal.size)
        screen.put("☺\u{FE0F}|漢|e\u{301}|end", x: 0, y: 0)
        terminal.present(screen)
        let output = pty.read(until: { $0.contains(text: "end") })
        #expect(output.contains(text: "漢|e\u{301}|end"))
        #expect(output.contains(text: "☺"))
        #expect(!output.contains(text: "\u{FE0F}"), "the emoji selector would make the terminal draw it wide")
    }

    @Test func runsOnAPipeAndAFileToo() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        var template = Array("/tmp/kgate-terminal-XXXXXX".utf8CString)
        let output = mkstemp(&template)
        try #require(output >= 0)
        defer {
            close(ends[0])
            close(output)
            unlink(template)
        }
        _ = "jq".withCString { write(ends[1], $0, 2) }
        close(ends[1])
        let terminal = try NcursesTerminal(options: .init(
            inputDescriptor: ends[0], outputDescriptor: output, terminalType: "xterm-256color",
            locale: "C.UTF-8", handlesSignals: false))
        defer { terminal.restore() }
        var screen = Screen(size: Size(columns: 20, rows: 2))
        screen.put("file", x: 0, y: 0)
        terminal.present(screen)
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == .key(.character("j")))
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == .key(.character("q")))
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == nil)
        #expect(terminal.terminationSignal == SIGHUP, "the input ended")
        #expect(lseek(output, 0, SEEK_END) > 0, "drew into the file")
    }

    @Test func hangUpEndsTheWaitAsSIGHUP() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        defer { terminal.restore() }
        pty.hangUp()
        #expect(terminal.nextEvent(timeoutMilliseconds: 5000) == nil)
        #expect(terminal.terminationSignal == SIGHUP)
    }

    @Test func restoreIsIdempotentAndAllowsANewTerminal() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try open(pty)
        #expect(throws: NcursesTerminal.Failure.anotherTerminalActive) { try open(pty) }
        terminal.restore()
        terminal.restore()
        #expect(terminal.nextEvent(timeoutMilliseconds: nil) == nil)
        let again = try open(pty)
        again.restore()
    }

    @Test func degenerateSizesDoNotCrash() throws {
        let pty = try #require(PseudoTerminal(columns: 1, rows: 1))
        let terminal = try open(pty, signals: false)
        defer { terminal.restore() }
        var screen = Screen(size: terminal.size)
        screen.put("漢x", x: 0, y: 0)
        terminal.present(screen)
        terminal.present(Screen(size: Size(columns: 0, rows: 0)))
        terminal.present(frame(marker: "too big"))
        _ = pty.read(until: { _ in true })
    }

    @Test func monochromeDrawsNoColors() throws {
        let pty = try #require(PseudoTerminal(columns: 80, rows: 24))
        let terminal = try NcursesTerminal(options: .init(
            inputDescriptor: pty.slave, outputDescriptor: pty.slave, terminalType: "xterm-256color",
            monochrome: true, locale: "C.UTF-8", handlesSignals: false))
        defer { terminal.restore() }
        terminal.present(frame(marker: "mono"))
        let output = pty.read(until: { $0.contains(text: "mono") })
        #expect(output.contains(text: "mono"))
        #expect(!output.contains(text: "\u{1B}[32m"))
        #expect(output.contains(text: "\u{1B}[7m") || output.contains(text: "\u{1B}[0;7m"), "reverse stays")
    }
}

/// Raises `signal` on this thread and lets it be handled before returning. Test threads are
/// pool workers that block signals (the app's main thread does not), so it is unblocked
/// for the moment of the raise.
private func raiseHere(_ signal: Int32) {
    var set = sigset_t()
    var previous = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, signal)
    pthread_sigmask(SIG_UNBLOCK, &set, &previous)
    raise(signal)
    pthread_sigmask(SIG_SETMASK, &previous, nil)
}

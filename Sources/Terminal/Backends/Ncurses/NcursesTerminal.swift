import Glibc
import CNcursesw
import Synchronization

/// The real terminal, through ncursesw: draws only what changed and waits for keys without
/// using CPU.
///
/// Curses is not thread-safe: create, present, read and restore on one thread. Only
/// `wake()` / `waker` may be used from elsewhere. One instance is active at a time.
///
///     let terminal = try NcursesTerminal(options: .init(monochrome: noColor))
///     defer { terminal.restore() }
///     while terminal.terminationSignal == nil {
///         terminal.present(view(state, terminal.size))
///         if let event = terminal.nextEvent(timeoutMilliseconds: nil) { ... }
///     }
public final class NcursesTerminal: TerminalBackend {
    public struct Options: Sendable {
        /// Where keys come from and the screen goes; stdin and stdout by default.
        public var inputDescriptor: Int32
        public var outputDescriptor: Int32
        /// The terminfo name; nil uses `$TERM`.
        public var terminalType: String?
        /// Attributes only, no colors: for NO_COLOR and `--no-color`.
        public var monochrome: Bool
        /// Passed to `setlocale(LC_ALL, _)`; "" takes it from the environment (LANG, LC_*).
        public var locale: String
        /// How long a lone ESC waits for the rest of an escape sequence.
        public var escapeDelayMilliseconds: Int32
        /// Relay SIGTERM, SIGHUP and SIGINT into `terminationSignal`.
        public var handlesSignals: Bool

        public init(
            inputDescriptor: Int32 = STDIN_FILENO, outputDescriptor: Int32 = STDOUT_FILENO,
            terminalType: String? = nil, monochrome: Bool = false, locale: String = "",
            escapeDelayMilliseconds: Int32 = 25, handlesSignals: Bool = true
        ) {
            self.inputDescriptor = inputDescriptor
            self.outputDescriptor = outputDescriptor
            self.terminalType = terminalType
            self.monochrome = monochrome
            self.locale = locale
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
            self.handlesSignals = handlesSignals
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case anotherTerminalActive
        case notATerminal
        case cannotOpen(errno: Int32)
        case unknownTerminal(String)
        /// Known to terminfo, but it cannot place the cursor (`dumb`, a line printer).
        case noCursorAddressing(String)

        public var description: String {
            switch self {
            case .anotherTerminalActive: return "a curses terminal is already active in this process"
            case .notATerminal: return "the console needs a terminal (standard input and output are not one)"
            case .cannotOpen(let code): return "cannot open the terminal: \(String(cString: strerror(code)))"
            case .unknownTerminal(let name):
                return "unknown terminal type '\(name)' (set TERM, e.g. TERM=xterm-256color)"
            case .noCursorAddressing(let name):
                return "the terminal type '\(name)' cannot move the cursor, so the console cannot draw on it "
                    + "(set TERM to your terminal's type, e.g. TERM=xterm-256color, or use a subcommand)"
            }
        }
    }

    public private(set) var size: Size
    /// True when the locale encodes UTF-8, so CJK and box drawing can be shown; when false
    /// the app should switch to its ASCII look.
    public let isUTF8: Bool
    public let options: Options
    /// Set when `$TERM` was unknown and a fallback was used (`TerminalType`): one line for
    /// the operator.
    public let terminalTypeNote: String?
    /// How many frames were presented: for diagnostics and the benchmark.
    public private(set) var presentCount = 0

    private let pipe: WakePipe
    private let screenPointer: OpaquePointer
    private let inputFile: UnsafeMutablePointer<FILE>
    private let outputFile: UnsafeMutablePointer<FILE>
    private var colors: ColorPairs
    private var lastScreen: Screen?
    private var cursorVisible: Bool?
    private var decoder = KeyDecoder()
    private var queued: [TerminalEvent] = []
    private var previousHandlers: [Int32: sigaction] = [:]
    private var seenResizes = 0
    private var inputClosed = false
    private var restored = false

    public init(options: Options = Options()) throws {
        guard activeTerminal.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            throw Failure.anotherTerminalActive
        }
        var claimed = true
        defer { if claimed { activeTerminal.store(false, ordering: .releasing) } }

        // Explicit descriptors may be files (tests); stdin and stdout must be a terminal.
        let usesStandardStreams = options.inputDescriptor == STDIN_FILENO && options.outputDescriptor == STDOUT_FILENO
        guard !usesStandardStreams || (isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1) else {
            throw Failure.notATerminal
        }
        setlocale(LC_ALL, options.locale)
        isUTF8 = kg_locale_is_utf8() != 0
        guard let pipe = WakePipe() else { throw Failure.cannotOpen(errno: errno) }
        let files = try NcursesTerminal.openFiles(input: options.inputDescriptor, output: options.outputDescriptor)
        let requested = options.terminalType ?? getenv("TERM").map { String(cString: $0) } ?? "dumb"
        var type = requested
        var opened = newterm(requested, files.output, files.input)
        if opened == nil, let fallback = TerminalType.fallback(for: requested) {
            type = fallback
            opened = newterm(fallback, files.output, files.input)
        }
        guard let screen = opened, kg_can_address_cursor() != 0 else {
            if let opened {
                endwin()
                delscreen(opened)
            }
            fclose(files.input)
            fclose(files.output)
            throw opened == nil ? Failure.unknownTerminal(requested) : Failure.noCursorAddressing(type)
        }
        terminalTypeNote = type == requested ? nil : TerminalType.note(requested: requested, used: type)
        self.options = options
        self.pipe = pipe
        self.screenPointer = screen
        self.inputFile = files.input
        self.outputFile = files.output

        raw()
        noecho()
        nonl()
        intrflush(kg_stdscr(), false)
        keypad(kg_stdscr(), true)
        nodelay(kg_stdscr(), true)
        set_escdelay(options.escapeDelayMilliseconds)
        let useColors = !options.monochrome && has_colors()
        var transparent = false
        if useColors {
            start_color()
            transparent = use_default_colors() == OK
        }
        colors = ColorPairs(monochrome: !useColors, pairLimit: Int(kg_color_pairs()), transparentDefault: transparent)
        size = NcursesTerminal.cursesSize()
        seenResizes = SignalRelay.resizeCount
        previousHandlers = SignalRelay.install(waking: pipe, termination: options.handlesSignals)
        SignalRelay.setCursesActive(true)
        SignalRelay.registerExitSafetyNet()
        claimed = false
    }

    deinit { restore() }

    /// The termination signal received (SIGTERM, SIGHUP, SIGINT), or SIGHUP when the
    /// terminal went away; nil while the app should keep running.
    public var terminationSignal: Int32? {
        let received = SignalRelay.receivedSignal
        if received != 0 { return received }
        return inputClosed ? SIGHUP : nil
    }

    public var waker: TerminalWaker {
        let pipe = self.pipe
        return TerminalWaker { pipe.signal() }
    }

    public func wake() { pipe.signal() }

    public func present(_ screen: Screen) {
        guard !restored else { return }
        let diff = ScreenDiff(from: lastScreen, to: screen)
        if diff.isFullRedraw {
            // After a resize or at start, the terminal's content is unknown: repaint it all.
            werase(kg_stdscr())
            clearok(kg_stdscr(), true)
        }
        for run in diff.runs {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                draw(cell, row: run.row, column: run.column + offset)
            }
        }
        placeCursor(screen.cursor, in: screen.size)
        wnoutrefresh(kg_stdscr())
        doupdate()
        lastScreen = screen
        presentCount += 1
    }

    public func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard !restored else { return nil }
        let deadline = timeoutMilliseconds.map { Monotonic.now + max(0, $0) }
        while terminationSignal == nil {
            let wait = deadline.map { Int32(clamping: max(0, $0 - Monotonic.now)) } ?? -1
            var fds = [
                pollfd(fd: options.inputDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: pipe.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, wait)
            if ready < 0 && errno != EINTR { return nil }
            let woken = fds[1].revents != 0
            if woken { pipe.drain() }
            let resized = SignalRelay.resizeCount != seenResizes
            let inputReady = fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0
            if inputReady || resized {
                queued += readInput(resized: resized)
                if inputReady && queued.isEmpty && !hasBufferedInput(fds[0].revents) { inputClosed = true }
            }
            if !queued.isEmpty { return queued.removeFirst() }
            if woken || ready == 0 { return nil }
            if let deadline, Monotonic.now >= deadline { return nil }
        }
        return nil
    }

    /// Leaves the screen for a while, as for a shell escape: the terminal back in the modes
    /// and on the screen the shell had, for another program to use (an interactive
    /// credential plugin). `resume()` takes it back. Call both on the curses thread.
    public func suspend() {
        guard !restored else { return }
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal back after `suspend()`; the next `present` repaints everything.
    public func resume() {
        guard !restored else { return }
        reset_prog_mode()
        lastScreen = nil
        size = NcursesTerminal.cursesSize()
        doupdate()
    }

    /// Ends curses and gives the terminal back as it was. Idempotent; call it on every exit
    /// path before printing anything, so messages land on the restored screen.
    public func restore() {
        guard !restored else { return }
        restored = true
        SignalRelay.uninstall(previousHandlers)
        curs_set(1)
        endwin()
        delscreen(screenPointer)
        fclose(inputFile)
        fclose(outputFile)
        SignalRelay.setCursesActive(false)
        activeTerminal.store(false, ordering: .releasing)
    }

    // MARK: drawing

    private func draw(_ cell: Cell, row: Int, column: Int) {
        let (attributes, pair) = colors.attributes(for: cell.style)
        for (offset, scalars) in NcursesTerminal.drawable(cell, isUTF8: isUTF8).enumerated() {
            let characters = scalars.map { wchar_t(bitPattern: $0.value) }
            _ = kg_put_cell(kg_stdscr(), Int32(row), Int32(column + offset), characters, Int32(characters.count), attributes, pair)
        }
    }

    /// What to hand curses for a cell: one glyph per column it covers.
    ///
    /// Curses advances its cursor by the C library's `wcwidth`, the layout by
    /// `terminalWidth`; where they disagree (a text-style emoji with U+FE0F, a character
    /// newer than glibc's tables, anything non-ASCII in a non-UTF-8 locale) drawing the
    /// grapheme would shift the rest of the row. A stand-in of the reserved width keeps
    /// every later column in place:
    ///
    /// | cell            | layout | wcwidth | drawn                          |
    /// | --------------- | ------ | ------- | ------------------------------ |
    /// | `a`, `漢`       | 1, 2   | 1, 2    | as is                          |
    /// | `☺` + U+FE0F    | 2      | 1       | `☺` and a blank                |
    /// | unknown to libc | 2      | -1      | U+FFFD (`?` without UTF-8) and a blank |
    /// | unknown to libc | 1      | -1, 2   | U+FFFD (`?` without UTF-8)     |
    /// | control, empty  | 0      | -       | a blank                        |
    static func drawable(_ cell: Cell, isUTF8: Bool) -> [[Unicode.Scalar]] {
        let layout = min(2, cell.text.terminalWidth)
        guard layout > 0, let first = cell.text.unicodeScalars.first else { return [[" "]] }
        let libc = Int(kg_wcwidth(first.value))
        if libc == layout { return [Array(cell.text.unicodeScalars)] }
        let standIn: Unicode.Scalar = isUTF8 ? "\u{FFFD}" : "?"
        if layout == 2 {
            return [[libc == 1 ? first : standIn], [" "]]
        }
        return [[standIn]]
    }

    private func placeCursor(_ cursor: (x: Int, y: Int)?, in screenSize: Size) {
        let visible: Bool
        if let cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < screenSize.columns, cursor.y < screenSize.rows {
            wmove(kg_stdscr(), Int32(cursor.y), Int32(cursor.x))
            visible = true
        } else {
            visible = false
        }
        leaveok(kg_stdscr(), !visible)
        if cursorVisible != visible {
            curs_set(visible ? 1 : 0)
            cursorVisible = visible
        }
    }

    // MARK: input

    private func readInput(resized: Bool) -> [TerminalEvent] {
        var tokens: [KeyDecoder.Token] = []
        var code: UInt32 = 0
        while true {
            let status = kg_get_wch(kg_stdscr(), &code)
            if status == ERR { break }
            if let token = CursesKeys.token(status: status, code: code) { tokens.append(token) }
        }
        var sawResize = false
        var events: [TerminalEvent] = []
        for output in decoder.decode(tokens: tokens, final: true) {
            switch output {
            case .key(let key): events.append(.key(key))
            case .resize:
                sawResize = true
                events.append(.resize(adoptNewSize()))
            }
        }
        if resized {
            seenResizes = SignalRelay.resizeCount
            // ncurses' own SIGWINCH handler may not have run (another library replaced it):
            // ask the kernel for the size and resize curses ourselves.
            if !sawResize, let actual = windowSize(), actual != size {
                resizeterm(Int32(actual.rows), Int32(actual.columns))
                events.append(.resize(adoptNewSize()))
            }
        }
        return events
    }

    private func adoptNewSize() -> Size {
        size = NcursesTerminal.cursesSize()
        lastScreen = nil
        return size
    }

    /// Readable but nothing decoded: the input ended, or part of a sequence is still on its
    /// way. A terminal that went away reports a hang-up; a file (tests) has no bytes left.
    /// A tty with no hang-up is only waiting for the rest of a character over a slow link.
    private func hasBufferedInput(_ revents: Int16) -> Bool {
        if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
        if isatty(options.inputDescriptor) == 1 { return true }
        var available: Int32 = 0
        return ioctl(options.inputDescriptor, UInt(FIONREAD), &available) == 0 && available > 0
    }

    private func windowSize() -> Size? {
        var window = winsize()
        guard ioctl(options.outputDescriptor, UInt(TIOCGWINSZ), &window) == 0 else { return nil }
        return Size(columns: Int(window.ws_col), rows: Int(window.ws_row))
    }

    private static func cursesSize() -> Size {
        var rows: Int32 = 0
        var columns: Int32 = 0
        kg_getmaxyx(kg_stdscr(), &rows, &columns)
        return Size(columns: Int(columns), rows: Int(rows))
    }

    /// `newterm` wants stdio streams; they are opened on duplicates so that closing them in
    /// `restore` leaves the caller's descriptors (stdin, stdout) open.
    private static func openFiles(input: Int32, output: Int32) throws -> (input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>) {
        let inputCopy = dup(input)
        let outputCopy = dup(output)
        guard inputCopy >= 0, outputCopy >= 0,
            let inputFile = fdopen(inputCopy, "r")
        else {
            let code = errno
            if inputCopy >= 0 { close(inputCopy) }
            if outputCopy >= 0 { close(outputCopy) }
            throw Failure.cannotOpen(errno: code)
        }
        guard let outputFile = fdopen(outputCopy, "w") else {
            let code = errno
            fclose(inputFile)
            close(outputCopy)
            throw Failure.cannotOpen(errno: code)
        }
        return (inputFile, outputFile)
    }
}

/// One curses screen per process at a time: curses keeps its state in globals.
private let activeTerminal = Atomic<Bool>(false)

/// Milliseconds on the monotonic clock, for poll deadlines that survive clock changes.
private enum Monotonic {
    static var now: Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
    }
}

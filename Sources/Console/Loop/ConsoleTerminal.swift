import Terminal

/// The two things the run loop needs from a terminal beyond `TerminalBackend`.
///
/// The ncurses backend conforms below; tests bring their own. The loop calls every method
/// on its own thread, except `wake()`.
public protocol ConsoleTerminal: TerminalBackend {
    /// Makes a `nextEvent` blocked on another thread (or the next call) return nil
    /// promptly. Called from any thread: it must be thread-safe (a self-pipe write).
    func wake()
    /// True once a termination signal (SIGTERM, SIGHUP) arrived: the loop leaves and the
    /// caller restores the terminal.
    var shouldTerminate: Bool { get }
}

extension NcursesTerminal: ConsoleTerminal {
    public var shouldTerminate: Bool { terminationSignal != nil }
}

/// Something that shows screens and reads keys: ncursesw on a real terminal, or memory in tests.
///
/// A backend keeps the last screen it showed and writes only the difference. It is used
/// from one thread (curses is not thread-safe), except `wake()`, which any thread may call.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Shows `screen`, writing only the cells that differ from the last one shown.
    func present(_ screen: Screen)
    /// Waits up to `timeoutMilliseconds` (forever when nil) for the next event. Returns nil
    /// when the time ran out or `wake()` was called: the app then looks at its other
    /// sources (store changes, a termination signal) and loops.
    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent?
    /// Makes a blocked (or the next) `nextEvent` return nil promptly. Safe from any thread.
    func wake()
}

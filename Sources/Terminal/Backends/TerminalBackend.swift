/// Something that shows screens and reads keys: ncursesw on a real terminal, or memory in tests.
///
/// A backend keeps the last screen it showed and writes only the difference.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Shows `screen`, writing only the cells that differ from the last one shown.
    func present(_ screen: Screen)
    /// Waits up to `timeoutMilliseconds` (forever when nil) for the next event.
    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent?
}

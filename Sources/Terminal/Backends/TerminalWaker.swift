/// A handle that wakes a backend's `nextEvent` from another thread or task.
///
/// Backends are not `Sendable` (their curses calls belong to one thread), so code that
/// watches the store on another thread is handed this instead of the backend itself.
///
///     let waker = terminal.waker
///     Task.detached { for await _ in changes { waker.wake() } }
public struct TerminalWaker: Sendable {
    private let action: @Sendable () -> Void

    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    public func wake() { action() }
}

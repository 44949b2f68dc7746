/// A terminal in memory, for tests and benchmarks: scripted input, recorded output.
///
/// It records every screen presented and the diff a real backend would have written, so a
/// test can check both what the operator sees and how little was redrawn.
///
///     let terminal = MemoryTerminal(size: Size(columns: 80, rows: 24))
///     terminal.type("jj\r")
///     terminal.enqueue(.resize(Size(columns: 40, rows: 12)))
///     while let event = terminal.nextEvent(timeoutMilliseconds: 0) { ... }
public final class MemoryTerminal: TerminalBackend, @unchecked Sendable {
    // Mutable state other than `queue` is touched only by the thread running the app,
    // as with the real backend; `queue` is the thread-safe part (enqueue, wake).
    private let queue = EventQueue()
    private var decoder = KeyDecoder()
    public private(set) var size: Size
    /// Every screen presented, oldest first.
    public private(set) var presented: [Screen] = []
    /// For each presented screen, what a diffing backend would have written.
    public private(set) var diffs: [ScreenDiff] = []
    /// When true, `nextEvent` with an empty queue waits (for the timeout, an enqueue or a
    /// wake-up) like a real terminal; when false it returns nil at once, ending a script.
    public var blocksWhenEmpty: Bool

    public init(size: Size, events: [TerminalEvent] = [], blocksWhenEmpty: Bool = false) {
        self.size = size
        self.blocksWhenEmpty = blocksWhenEmpty
        queue.append(events)
    }

    /// The last screen presented, if any.
    public var screen: Screen? { presented.last }

    public var waker: TerminalWaker {
        let queue = self.queue
        return TerminalWaker { queue.wake() }
    }

    /// Queues events; safe from any thread.
    public func enqueue(_ events: TerminalEvent...) { queue.append(events) }

    /// Queues keys; safe from any thread.
    public func enqueue(keys: [Key]) { queue.append(keys.map(TerminalEvent.key)) }

    /// Queues what a terminal would send for these bytes (UTF-8 text, escape sequences);
    /// a trailing lone ESC counts as Escape, as if the escape delay had passed.
    public func type(bytes: [UInt8]) {
        var keys = decoder.decode(bytes: bytes)
        keys += decoder.flush()
        enqueue(keys: keys)
    }

    /// Queues the keys for typing `text` (`"\r"` is Enter, `"\u{1B}[A"` is Up).
    public func type(_ text: String) { type(bytes: Array(text.utf8)) }

    /// Changes the size and queues the resize event the real terminal would report.
    public func resize(to newSize: Size) {
        size = newSize
        queue.append([.resize(newSize)])
    }

    /// Number of events not yet read.
    public var pendingEventCount: Int { queue.count }

    public func present(_ screen: Screen) {
        diffs.append(ScreenDiff(from: presented.last, to: screen))
        presented.append(screen)
    }

    public func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        queue.next(timeoutMilliseconds: timeoutMilliseconds, blocking: blocksWhenEmpty)
    }

    public func wake() { queue.wake() }
}

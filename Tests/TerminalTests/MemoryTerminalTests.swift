import Testing
import Terminal
import TestSupport

@Suite("Memory terminal")
struct MemoryTerminalTests {
    @Test func scriptedEventsComeInOrder() {
        let terminal = MemoryTerminal(size: Size(columns: 80, rows: 24), events: [.key(.down)])
        terminal.type("j\u{1B}[A\u{1B}")
        terminal.resize(to: Size(columns: 40, rows: 12))
        var events: [TerminalEvent] = []
        while let event = terminal.nextEvent(timeoutMilliseconds: 0) { events.append(event) }
        #expect(events == [.key(.down), .key(.character("j")), .key(.up), .key(.escape), .resize(Size(columns: 40, rows: 12))])
        #expect(terminal.size == Size(columns: 40, rows: 12))
    }

    @Test func recordsScreensAndDiffs() {
        let terminal = MemoryTerminal(size: Size(columns: 10, rows: 2))
        var screen = Screen(size: terminal.size)
        screen.put("hello", x: 0, y: 0)
        terminal.present(screen)
        screen.put("漢", x: 0, y: 1)
        terminal.present(screen)
        #expect(terminal.presented.count == 2)
        #expect(terminal.diffs.map(\.isFullRedraw) == [true, false])
        #expect(terminal.diffs.last?.runs.map(\.row) == [1])
        if let last = terminal.screen { assertScreen(last, matches: "hello\n漢") }
    }

    @Test func wakeReleasesABlockedReader() {
        let terminal = MemoryTerminal(size: Size(columns: 1, rows: 1), blocksWhenEmpty: true)
        let waker = terminal.waker
        onAnotherThread { waker.wake() }
        // Would block forever without the wake-up.
        #expect(terminal.nextEvent(timeoutMilliseconds: nil) == nil)
        #expect(terminal.nextEvent(timeoutMilliseconds: 10) == nil)  // times out
        terminal.enqueue(.key(.enter))
        #expect(terminal.nextEvent(timeoutMilliseconds: nil) == .key(.enter))
    }
}

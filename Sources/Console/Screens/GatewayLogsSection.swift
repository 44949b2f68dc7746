import GatewayKit
import Terminal

/// The gateway detail's Logs: the gateway's log lines, followed live as `less +F` does.
/// Scrolling up pauses (new lines are kept, the view stays put: "paused — G to follow"),
/// scrolling back to the bottom or G resumes. `/` searches, n and N go on to older and
/// newer matches. A bounded ring keeps the newest `capacity` lines, each escaped for the
/// terminal once, as it arrives.
struct GatewayLogsSection: Sendable {
    static let capacity = 10_000

    var ring = LogRing(capacity: GatewayLogsSection.capacity)
    /// True while the view sits at the newest line and moves with it.
    var following = true
    /// The number (see `LogRing`) of the top line shown while paused.
    var top = 0
    /// Lines that arrived while paused.
    var arrivedWhilePaused = 0
    var searching = false
    var query = TextField()
    /// The last search, for n and N.
    var pattern = ""
    /// The number of the line the last search landed on.
    var match: Int?
    /// False until the stream delivered anything (lines, its end or a failure).
    var started = false
    /// Why the stream stopped, when it failed.
    var failure: String?
    var ended = false
    /// Columns of the source column: the longest source seen, up to 20.
    var sourceWidth = 0

    /// Rows of log lines in a section of `height` rows (the last row is the status).
    static func rows(height: Int) -> Int { max(1, height - 1) }

    /// The number of the first line shown at `height`.
    func firstShown(height: Int) -> Int {
        let rows = GatewayLogsSection.rows(height: height)
        let bottomTop = max(ring.firstNumber, ring.total - rows)
        return following ? bottomTop : min(max(top, ring.firstNumber), bottomTop)
    }

    mutating func take(_ events: [GatewayLogEvent], ended: Bool) {
        started = true
        for event in events {
            switch event {
            case .line(let line):
                let source = TerminalText.escaped(line.source)
                sourceWidth = min(20, max(sourceWidth, source.terminalWidth))
                ring.append(LogRow(source: source, text: TerminalText.escaped(line.text)))
                if !following { arrivedWhilePaused += 1 }
            case .failed(let reason):
                failure = TerminalText.escaped(reason)
            }
        }
        if ended { self.ended = true }
    }

    /// Moves the view `delta` lines (negative: older); reaching the bottom resumes following.
    mutating func scroll(by delta: Int, height: Int) {
        let rows = GatewayLogsSection.rows(height: height)
        let bottomTop = max(ring.firstNumber, ring.total - rows)
        let next = min(max(firstShown(height: height) + delta, ring.firstNumber), bottomTop)
        if next >= bottomTop {
            follow()
        } else {
            if following { arrivedWhilePaused = 0 }
            following = false
            top = next
        }
    }

    mutating func follow() {
        following = true
        arrivedWhilePaused = 0
    }

    /// Shows the line numbered `number` about the middle of the view, paused.
    mutating func reveal(_ number: Int, height: Int) {
        let rows = GatewayLogsSection.rows(height: height)
        if following { arrivedWhilePaused = 0 }
        following = false
        top = max(ring.firstNumber, min(number - rows / 2, max(ring.firstNumber, ring.total - rows)))
        match = number
    }

    /// The nearest line matching `pattern` from `start` in `direction` (-1 older, +1 newer), inclusive.
    func find(_ pattern: String, from start: Int, direction: Int) -> Int? {
        guard !pattern.isEmpty, ring.count > 0 else { return nil }
        var number = min(max(start, ring.firstNumber), ring.total - 1)
        while number >= ring.firstNumber, number < ring.total {
            if ring[number].text.range(of: pattern, options: .caseInsensitive) != nil { return number }
            number += direction
        }
        return nil
    }

    /// Searches for `pattern`, starting next to the current match (or the bottom of the view).
    mutating func search(_ pattern: String, direction: Int, height: Int, state: inout ConsoleState) {
        guard !pattern.isEmpty else { return }
        self.pattern = pattern
        let bottom = firstShown(height: height) + GatewayLogsSection.rows(height: height) - 1
        let start = match.map { $0 + direction } ?? min(bottom, ring.total - 1)
        if let found = find(pattern, from: start, direction: direction) {
            reveal(found, height: height)
        } else {
            state.flash = .info(
                "No \(direction < 0 ? "older" : "newer") line matches \u{201C}\(TerminalText.escaped(pattern))\u{201D}.")
        }
    }

    func bindings(height: Int) -> [KeyBinding<GatewayDetailScreen>] {
        let rows = GatewayLogsSection.rows(height: height)
        let page = max(1, rows - 1)
        return [
            KeyBinding([.up, .down, .character("j"), .character("k")], "scroll (up pauses)") { screen, _, key in
                screen.logs.scroll(by: key == .up || key == .character("k") ? -1 : 1, height: height)
                return []
            },
            KeyBinding([.pageUp, .pageDown], more: [.ctrl("b"), .ctrl("f"), .character(" ")], "page", footer: false) { screen, _, key in
                screen.logs.scroll(by: [.pageUp, .ctrl("b")].contains(key) ? -page : page, height: height)
                return []
            },
            KeyBinding([.character("g")], more: [.home], "oldest line (pauses)", footer: false) { screen, _, _ in
                screen.logs.scroll(by: -screen.logs.ring.total, height: height)
                return []
            },
            KeyBinding([.character("G")], more: [.end, .character("F")], "follow (newest line)") { screen, _, _ in
                screen.logs.follow()
                return []
            },
            KeyBinding([.character("/")], "search") { screen, _, _ in
                screen.logs.searching = true
                screen.logs.query = TextField(screen.logs.pattern)
                return []
            },
            KeyBinding([.character("n")], "next match (older)", footer: false) { screen, state, _ in
                screen.logs.search(screen.logs.pattern, direction: -1, height: height, state: &state)
                return []
            },
            KeyBinding([.character("N")], "previous match (newer)", footer: false) { screen, state, _ in
                screen.logs.search(screen.logs.pattern, direction: 1, height: height, state: &state)
                return []
            },
        ]
    }

    /// While the search field is open: Enter searches, Esc closes it.
    static func searchBindings(_ state: ConsoleState) -> [KeyBinding<GatewayDetailScreen>] {
        let height = GatewayDetailScreen.sectionHeight(state)
        return [
            KeyBinding([.enter], "search (newest match first)") { screen, state, _ in
                screen.logs.searching = false
                screen.logs.match = nil
                screen.logs.search(screen.logs.query.text, direction: -1, height: height, state: &state)
                return []
            },
            KeyBinding([.escape], "close the search") { screen, _, _ in
                screen.logs.searching = false
                return []
            },
        ] + TextField.editingBindings { screen, state, key in screen.handleUnbound(key, &state) }
            + [.helpF1(footer: true), .interrupt]
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard rect.height > 0, rect.width > 0 else { return }
        let theme = state.theme
        if !state.hasActivitySource || (!started && ring.count == 0) {
            let notice = ActivityNotice.text(state: state, loaded: started, what: "logs") ?? ""
            ActivityNotice.draw(notice, state: state, in: rect.inset(bottom: 1), screen: &screen)
        } else {
            drawLines(state, in: rect.inset(bottom: 1), screen: &screen)
        }
        drawStatus(state, row: rect.maxY - 1, x: rect.x, width: rect.width, screen: &screen, theme: theme)
    }

    private func drawLines(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard rect.height > 0 else { return }
        let theme = state.theme
        let first = firstShown(height: rect.height + 1)
        let end = min(ring.total, first + rect.height)
        guard first < end else {
            screen.draw("No log lines yet.", x: rect.x + 1, y: rect.y, width: rect.width - 1, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
            return
        }
        for number in first..<end {
            let row = ring[number]
            let y = rect.y + number - first
            var x = rect.x
            if number == match { screen.put(">", x: x, y: y, style: theme.key) }
            x += 1
            if sourceWidth > 0 {
                x += screen.draw(
                    row.source.padded(to: sourceWidth, ellipsis: theme.glyphs.ellipsis) + " ", x: x, y: y, width: rect.maxX - x,
                    style: theme.dim, ellipsis: theme.glyphs.ellipsis)
            }
            drawText(row.text, x: x, y: y, maxX: rect.maxX, screen: &screen, theme: theme)
        }
    }

    /// The line with the search pattern's occurrences marked.
    private func drawText(_ text: String, x start: Int, y: Int, maxX: Int, screen: inout Screen, theme: Theme) {
        guard !pattern.isEmpty, let range = text.range(of: pattern, options: .caseInsensitive) else {
            screen.draw(text, x: start, y: y, width: max(0, maxX - start), ellipsis: theme.glyphs.ellipsis)
            return
        }
        var x = start
        for (part, style) in [
            (String(text[..<range.lowerBound]), theme.plain), (String(text[range]), theme.focused), (String(text[range.upperBound...]), theme.plain),
        ] where !part.isEmpty {
            guard x < maxX else { return }
            x += screen.draw(part, x: x, y: y, width: maxX - x, style: style, ellipsis: theme.glyphs.ellipsis)
        }
    }

    private func drawStatus(_ state: ConsoleState, row: Int, x: Int, width: Int, screen: inout Screen, theme: Theme) {
        guard width > 0 else { return }
        if searching {
            screen.put("/", x: x + 1, y: row, style: theme.key)
            query.draw(x: x + 3, y: row, width: max(1, min(40, width - 4)), style: theme.field, focused: true, screen: &screen, theme: theme)
            return
        }
        let count = Plural.count(ring.count, "line")
        let (text, style): (String, Style)
        if let failure {
            text = "log source stopped: \(failure)"
            style = theme.error
        } else if !following {
            let arrived = arrivedWhilePaused > 0 ? " \u{00B7} \(Plural.count(arrivedWhilePaused, "new line"))" : ""
            text = "paused \(theme.glyphs == .ascii ? "-" : "\u{2014}") G to follow\(arrived)"
            style = theme.warning
        } else if ended {
            text = "log stream ended \u{00B7} \(count)"
            style = theme.dim
        } else {
            text = state.hasActivitySource && started ? "following \u{00B7} \(count)" : ""
            style = theme.dim
        }
        let plain = theme.glyphs == .ascii ? text.replacingOccurrences(of: "\u{00B7}", with: "-") : text
        screen.draw(plain, x: x + 1, y: row, width: width - 1, style: style, ellipsis: theme.glyphs.ellipsis)
    }
}

/// One log line as shown: its source and its text, both escaped.
struct LogRow: Hashable, Sendable {
    var source: String
    var text: String
}

/// The newest `capacity` log rows. Rows are numbered from 0 in the order they arrived;
/// the oldest kept is `firstNumber`, the next to arrive `total`.
struct LogRing: Sendable {
    let capacity: Int
    private var storage: [LogRow] = []
    /// Where the oldest row is in `storage` once it is full.
    private var head = 0
    private(set) var total = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(min(self.capacity, 1024))
    }

    var count: Int { storage.count }
    var firstNumber: Int { total - storage.count }

    subscript(number: Int) -> LogRow {
        storage[(head + number - firstNumber) % storage.count]
    }

    mutating func append(_ row: LogRow) {
        if storage.count < capacity {
            storage.append(row)
        } else {
            storage[head] = row
            head = (head + 1) % capacity
        }
        total += 1
    }
}

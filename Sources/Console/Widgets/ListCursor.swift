import Terminal

/// Selection and scroll position of a list; `update` keeps the selection in view for the
/// list's last known height so `view` only draws the visible rows.
struct ListCursor: Hashable, Sendable {
    var selected = 0
    var offset = 0

    /// Moves by `delta` rows among `count`, scrolling `height` rows into view.
    mutating func move(by delta: Int, count: Int, height: Int) {
        guard count > 0 else {
            selected = 0
            offset = 0
            return
        }
        selected = min(max(0, selected + delta), count - 1)
        scrollIntoView(count: count, height: height)
    }

    mutating func moveTo(_ index: Int, count: Int, height: Int) {
        selected = index
        move(by: 0, count: count, height: height)
    }

    mutating func scrollIntoView(count: Int, height: Int) {
        let height = max(1, height)
        selected = min(max(0, selected), max(0, count - 1))
        if selected < offset { offset = selected }
        if selected >= offset + height { offset = selected - height + 1 }
        offset = min(max(0, offset), max(0, count - height))
    }

    /// The offset `view` uses for `height` rows, even when the height changed since the
    /// last key (a resize), so the selection is always drawn.
    func visibleOffset(count: Int, height: Int) -> Int {
        var copy = self
        copy.scrollIntoView(count: count, height: height)
        return copy.offset
    }

    /// Applies a list movement key; returns false for any other key.
    mutating func handle(_ key: Key, count: Int, height: Int) -> Bool {
        switch key {
        case .up, .character("k"): move(by: -1, count: count, height: height)
        case .down, .character("j"): move(by: 1, count: count, height: height)
        case .pageUp, .ctrl("b"): move(by: -max(1, height - 1), count: count, height: height)
        case .pageDown, .ctrl("f"), .character(" "): move(by: max(1, height - 1), count: count, height: height)
        case .home: moveTo(0, count: count, height: height)
        case .end, .character("G"): moveTo(count - 1, count: count, height: height)
        default: return false
        }
        return true
    }
}

extension ListCursor {
    /// A list's movement keys as bindings of the screen that holds the cursor at `cursor`.
    static func bindings<S>(
        count: Int, height: Int, _ cursor: WritableKeyPath<S, ListCursor> & Sendable
    ) -> [KeyBinding<S>] {
        let move: KeyBinding<S>.Action = { screen, _, key in
            _ = screen[keyPath: cursor].handle(key, count: count, height: height)
            return []
        }
        return [
            KeyBinding([.up, .down, .character("j"), .character("k")], "move", footer: false, action: move),
            KeyBinding(
                [.pageUp, .pageDown], more: [.ctrl("b"), .ctrl("f"), .character(" ")], "page up/down", footer: false, action: move),
            KeyBinding([.home, .end], more: [.character("G")], "first/last", footer: false, action: move),
        ]
    }
}

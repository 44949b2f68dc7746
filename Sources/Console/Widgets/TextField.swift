import Terminal

/// A one-line text input: the text, and where the cursor is (in characters).
struct TextField: Hashable, Sendable {
    var text: String {
        didSet { cursor = min(cursor, text.count) }
    }
    var cursor: Int

    init(_ text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    /// Applies an editing key. Returns whether the key was an edit or a cursor move;
    /// keys it does not know (Tab, Enter, arrows up/down) are left to the form.
    mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            // Control characters (CR and LF above all) never enter a field.
            guard !c.isNewline, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return false }
            let index = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: index)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            // Move the cursor first: removing clamps it to the shorter text.
            cursor -= 1
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"):
            text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor))
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(text.index(text.startIndex, offsetBy: cursor)...)
        default:
            return false
        }
        return true
    }

    /// Draws the field in `width` columns; when focused, the part around the cursor is
    /// shown and the terminal cursor placed on it.
    func draw(x: Int, y: Int, width: Int, style: Style, focused: Bool, screen: inout Screen, theme: Theme) {
        guard width > 0 else { return }
        screen.fill(x: x, y: y, width: width, height: 1, style: style)
        let characters = Array(text)
        // Start far enough in that the cursor (one column after the text) stays visible.
        var start = 0
        if focused {
            var used = 1
            start = cursor
            while start > 0, used + characters[start - 1].terminalWidth <= width {
                start -= 1
                used += characters[start].terminalWidth
            }
        }
        let visible = String(characters[start...])
        let shownWidth = screen.put(
            focused ? visible : visible.fitted(to: width, ellipsis: theme.glyphs.ellipsis), x: x, y: y,
            style: style, width: width)
        _ = shownWidth
        if focused {
            let cursorColumn = String(characters[start..<min(cursor, characters.count)]).terminalWidth
            screen.cursor = (x + min(cursorColumn, width - 1), y)
        }
    }
}

extension TextField {
    /// The editing keys of a text field as bindings, so that the help lists them; `edit`
    /// gives the key to the focused field.
    static func editingBindings<S>(_ edit: @escaping KeyBinding<S>.Action) -> [KeyBinding<S>] {
        [
            KeyBinding([.left, .right], "move in the field", footer: false, action: edit),
            KeyBinding([.home, .end], more: [.ctrl("a"), .ctrl("e")], "start/end of the field", footer: false, action: edit),
            KeyBinding([.backspace, .delete], "delete a character", footer: false, action: edit),
            KeyBinding([.ctrl("u")], "clear the field (before the cursor)", footer: false, action: edit),
            KeyBinding([.ctrl("k")], "clear after the cursor", footer: false, action: edit),
        ]
    }
}

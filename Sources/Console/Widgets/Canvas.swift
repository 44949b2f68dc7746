import Terminal

/// A rectangle of the screen, in cells.
struct Rect: Hashable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var maxY: Int { y + height }
    var maxX: Int { x + width }

    /// The rectangle less `top` rows at its top and `bottom` at its bottom.
    func inset(top: Int = 0, bottom: Int = 0, left: Int = 0, right: Int = 0) -> Rect {
        Rect(
            x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }
}

extension String {
    /// The text cut to `width` display columns, ending in `ellipsis` when cut. A wide
    /// character is never split: the cut falls before it.
    func fitted(to width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        // Printable ASCII, the common case (a log line, a host): one column a byte.
        let ascii = isPrintableASCII
        if ascii, utf8.count <= width { return self }
        if !ascii, terminalWidth <= width { return self }
        let room = width - ellipsis.terminalWidth
        guard room >= 0 else { return "" }
        if ascii { return String(decoding: utf8.prefix(room), as: UTF8.self) + ellipsis }
        var used = 0
        var result = ""
        for character in self {
            let w = character.terminalWidth
            if used + w > room { break }
            used += w
            result.append(character)
        }
        return result + ellipsis
    }

    /// The text fitted to `width` and padded with blanks to exactly `width` columns.
    func padded(to width: Int, ellipsis: String) -> String {
        let cut = fitted(to: width, ellipsis: ellipsis)
        let missing = width - cut.terminalWidth
        return missing > 0 ? cut + String(repeating: " ", count: missing) : cut
    }
}

extension Screen {
    /// Draws `text` at (x, y), cut with an ellipsis to `width` columns (to the right edge
    /// when nil). Returns the columns used.
    @discardableResult
    mutating func draw(_ text: String, x: Int, y: Int, width: Int? = nil, style: Style = .plain, ellipsis: String)
        -> Int
    {
        let room = min(width ?? (size.columns - x), size.columns - x)
        guard room > 0 else { return 0 }
        return put(text.fitted(to: room, ellipsis: ellipsis), x: x, y: y, style: style, width: room)
    }

    /// A horizontal rule of `glyph` across `width` columns.
    mutating func rule(x: Int, y: Int, width: Int, glyph: String, style: Style) {
        guard width > 0 else { return }
        put(String(repeating: glyph, count: width), x: x, y: y, style: style, width: width)
    }

    /// A bordered, blanked box with an optional title in its top edge.
    mutating func box(_ rect: Rect, title: String?, theme: Theme) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = theme.glyphs
        fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
        put(g.topLeft, x: rect.x, y: rect.y, style: theme.border)
        rule(x: rect.x + 1, y: rect.y, width: rect.width - 2, glyph: g.horizontal, style: theme.border)
        put(g.topRight, x: rect.maxX - 1, y: rect.y, style: theme.border)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            put(g.vertical, x: rect.x, y: row, style: theme.border)
            put(g.vertical, x: rect.maxX - 1, y: row, style: theme.border)
        }
        put(g.bottomLeft, x: rect.x, y: rect.maxY - 1, style: theme.border)
        rule(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, glyph: g.horizontal, style: theme.border)
        put(g.bottomRight, x: rect.maxX - 1, y: rect.maxY - 1, style: theme.border)
        if let title, rect.width > 6 {
            draw(" \(title) ", x: rect.x + 2, y: rect.y, width: rect.width - 4, style: theme.heading, ellipsis: g.ellipsis)
        }
    }
}

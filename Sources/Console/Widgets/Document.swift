import Terminal

/// A run of text in one style.
struct Span: Hashable, Sendable {
    var text: String
    var style: Style

    init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line of a scrollable document: spans drawn left to right, cut at the edge.
struct DocumentLine: Hashable, Sendable {
    var spans: [Span]
    var indent: Int

    init(_ spans: [Span], indent: Int = 0) {
        self.spans = spans
        self.indent = indent
    }

    init(_ text: String, _ style: Style = .plain, indent: Int = 0) {
        self.init([Span(text, style)], indent: indent)
    }

    static let blank = DocumentLine([])

    /// `Label       value`: a label padded to `labelWidth`, then the value.
    static func field(_ label: String, _ value: String, labelWidth: Int, theme: Theme, valueStyle: Style? = nil)
        -> DocumentLine
    {
        DocumentLine(
            [
                // One blank always separates a cut label from its value.
                Span(label.padded(to: labelWidth - 1, ellipsis: theme.glyphs.ellipsis) + " ", theme.label),
                Span(value, valueStyle ?? theme.plain),
            ], indent: 1)
    }
}

/// Scrollable text: the detail, YAML and help views. Only the visible lines are drawn.
enum Document {
    /// The largest useful scroll offset for `count` lines in `height` rows.
    static func maxOffset(count: Int, height: Int) -> Int { max(0, count - max(1, height)) }

    static func draw(
        _ lines: [DocumentLine], offset: Int, in rect: Rect, screen: inout Screen, theme: Theme
    ) {
        guard rect.height > 0, rect.width > 0 else { return }
        let start = min(max(0, offset), maxOffset(count: lines.count, height: rect.height))
        let end = min(lines.count, start + rect.height)
        guard start < end else { return }
        for (row, line) in lines[start..<end].enumerated() {
            var x = rect.x + line.indent
            for span in line.spans {
                let room = rect.maxX - x
                if room <= 0 { break }
                x += screen.draw(span.text, x: x, y: rect.y + row, width: room, style: span.style, ellipsis: theme.glyphs.ellipsis)
            }
        }
        // A scroll mark in the status row, right under the body, says there is more.
        if lines.count > rect.height { scrollMark(start: start, end: end, count: lines.count, below: rect, screen: &screen, theme: theme) }
    }
}

extension Document {
    /// `1-20/38` at the right end of the row under `rect` (the status row).
    static func scrollMark(start: Int, end: Int, count: Int, below rect: Rect, screen: inout Screen, theme: Theme) {
        let mark = " \(start + 1)-\(end)/\(count)"
        guard rect.width > mark.count + 10 else { return }
        screen.draw(mark, x: rect.maxX - mark.count, y: rect.maxY, style: theme.dim, ellipsis: "")
    }
}

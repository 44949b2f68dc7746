import Terminal

/// A column of a table: a title and a width in columns (the last column takes the rest).
struct TableColumn: Hashable, Sendable {
    var title: String
    var width: Int
}

/// A table with a heading row, a selected row and scrolling. It asks for the cells of
/// visible rows only, so a list of 100,000 routes costs what 20 rows cost.
enum Table {
    static func draw(
        columns: [TableColumn], rowCount: Int, cursor: ListCursor, in rect: Rect, screen: inout Screen,
        theme: Theme, cell: (_ row: Int, _ column: Int) -> Span
    ) {
        guard rect.height > 0, rect.width > 0 else { return }
        let widths = layout(columns, width: rect.width)
        var x = rect.x
        for (index, column) in columns.enumerated() {
            screen.draw(column.title, x: x, y: rect.y, width: widths[index], style: theme.heading, ellipsis: theme.glyphs.ellipsis)
            x += widths[index] + 1
        }
        let height = rect.height - 1
        guard height > 0 else { return }
        let offset = cursor.visibleOffset(count: rowCount, height: height)
        let end = min(rowCount, offset + height)
        guard offset < end else { return }
        for row in offset..<end {
            let y = rect.y + 1 + row - offset
            let isSelected = row == cursor.selected
            if isSelected { screen.fill(x: rect.x, y: y, width: rect.width, height: 1, style: theme.selected) }
            var x = rect.x
            for index in columns.indices {
                let span = cell(row, index)
                let style = isSelected ? theme.selected : span.style
                screen.draw(span.text, x: x, y: y, width: widths[index], style: style, ellipsis: theme.glyphs.ellipsis)
                x += widths[index] + 1
            }
        }
        if rowCount > height, rect.width > 10 {
            let mark = " \(cursor.selected + 1)/\(rowCount) "
            screen.draw(mark, x: rect.maxX - mark.count, y: rect.y, style: theme.dim, ellipsis: "")
        }
    }

    /// Column widths for `width`: the given widths, shrunk in proportion when they do not
    /// fit; the last column gets what is left.
    static func layout(_ columns: [TableColumn], width: Int) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let gaps = columns.count - 1
        let fixed = columns.dropLast().reduce(0) { $0 + $1.width }
        let available = max(0, width - gaps)
        var widths = columns.map(\.width)
        if fixed + 8 > available, fixed > 0 {
            // Keep a share for the last column, shrink the others proportionally.
            let share = max(0, available - max(4, available / 4))
            for index in widths.indices.dropLast() { widths[index] = max(1, widths[index] * share / fixed) }
        }
        let used = widths.dropLast().reduce(0, +)
        widths[widths.count - 1] = max(0, available - used)
        return widths
    }
}

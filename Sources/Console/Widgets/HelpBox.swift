import Terminal

/// The `?` help: every binding of the top screen, made from the same table as its keys.
/// When the rows run out the bindings go in two columns.
enum HelpBox {
    static func draw(_ state: ConsoleState, in body: Rect, screen: inout Screen) {
        let theme = state.theme
        let hints = state.hints
        let keys = hints.map { theme.glyphs == .ascii ? $0.helpKey.replacingArrows() : $0.helpKey }
        let keyWidth = min(22, keys.map(\.terminalWidth).max() ?? 0)
        let rowsAvailable = max(1, body.height - 3)
        let columns = hints.count > rowsAvailable && body.width >= 78 ? 2 : 1
        let perColumn = (hints.count + columns - 1) / columns
        let width = min(body.width - 2, 78)
        let height = min(body.height, perColumn + 3)
        let rect = Rect(x: body.x + (body.width - width) / 2, y: body.y, width: width, height: height)
        screen.box(rect, title: "Keys: \(state.top.title)", theme: theme)
        let columnWidth = (width - 2) / columns
        for (index, hint) in hints.enumerated() {
            let column = index / perColumn
            let row = index % perColumn
            guard row < height - 3 else { continue }
            let x = rect.x + 2 + column * columnWidth
            let y = rect.y + 1 + row
            screen.draw(keys[index], x: x, y: y, width: keyWidth, style: theme.key, ellipsis: theme.glyphs.ellipsis)
            screen.draw(
                hint.label, x: x + keyWidth + 1, y: y, width: max(0, columnWidth - keyWidth - 2), ellipsis: theme.glyphs.ellipsis)
        }
        screen.draw("any key closes", x: rect.x + 2, y: rect.maxY - 2, width: width - 4, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
    }
}

import GatewayKit
import Terminal

/// A read-only, scrollable view of an object's manifest (`y` in Routes).
struct YAMLViewer: Hashable, Sendable {
    var title: String
    var lines: [String]
    var scroll = 0

    init(title: String, text: String) {
        self.title = title
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A manifest ends with a newline; it is not a line of its own.
        while lines.last == "" { lines.removeLast() }
        self.lines = lines
    }

    static func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard var viewer = state.yaml else { return [] }
        let height = max(1, state.bodyHeight - 1)
        switch key {
        case .escape, .left, .character("h"):
            state.back()
            return []
        default:
            viewer.scroll = Scrolling.apply(
                key, offset: viewer.scroll, limit: Document.maxOffset(count: viewer.lines.count, height: height),
                height: height)
        }
        state.yaml = viewer
        return []
    }

    static func hints(_ state: ConsoleState) -> [KeyHint] {
        [KeyHint(key: "↑↓/jk", label: "scroll"), KeyHint(key: "g/G", label: "top/bottom"), .back, .help, .quit, .interrupt]
    }

    static func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard let viewer = state.yaml else { return }
        let theme = state.theme
        screen.draw(viewer.title, x: rect.x + 1, y: rect.y, style: theme.heading, ellipsis: theme.glyphs.ellipsis)
        let lines = viewer.lines.isEmpty
            ? [DocumentLine("(no manifest rendered)", theme.dim, indent: 1)]
            : viewer.lines.map { DocumentLine($0, indent: 1) }
        Document.draw(lines, offset: viewer.scroll, in: rect.inset(top: 1), screen: &screen, theme: theme)
    }
}

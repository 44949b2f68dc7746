import GatewayKit
import Terminal

/// A read-only, scrollable view of an object's manifest (`y` in Routes).
struct YAMLViewer: ConsoleScreen {
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

    var id: ScreenID { .yaml }

    func bindings(_ state: ConsoleState) -> [KeyBinding<YAMLViewer>] {
        let height = max(1, state.bodyHeight - 1)
        let limit = Document.maxOffset(count: lines.count, height: height)
        return Scrolling.bindings(limit: limit, height: height, \.scroll) + [.back()] + KeyBinding.common
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let viewer = self
        let theme = state.theme
        screen.draw(viewer.title, x: rect.x + 1, y: rect.y, style: theme.heading, ellipsis: theme.glyphs.ellipsis)
        let lines = viewer.lines.isEmpty
            ? [DocumentLine("(no manifest rendered)", theme.dim, indent: 1)]
            : viewer.lines.map { DocumentLine($0, indent: 1) }
        Document.draw(lines, offset: viewer.scroll, in: rect.inset(top: 1), screen: &screen, theme: theme)
    }
}

extension ScreenID {
    static let yaml = ScreenID(title: "YAML")
}

import Terminal

/// The console's looks: styles for colour or monochrome terminals, and the glyphs for
/// Unicode or `--ascii` terminals. Screens ask the theme, never spell a style or glyph.
struct Theme: Sendable {
    var plain = Style.plain
    var title: Style
    var heading: Style
    var label: Style
    var selected: Style
    var focused: Style
    var field: Style
    var error: Style
    var warning: Style
    var success: Style
    var dim: Style
    var key: Style
    var border: Style
    var glyphs: Glyphs

    init(options: ConsoleOptions) {
        glyphs = options.ascii ? .ascii : .unicode
        if options.monochrome {
            title = Style(bold: true, reverse: true)
            heading = Style(bold: true)
            label = Style(bold: true)
            selected = Style(reverse: true)
            focused = Style(underline: true, reverse: true)
            field = Style(underline: true)
            error = Style(bold: true)
            warning = Style(bold: true)
            success = Style(bold: true)
            dim = Style(dim: true)
            key = Style(bold: true)
            border = Style.plain
        } else {
            // Not bold: many terminals draw bold black as bright black (grey), unreadable on cyan.
            title = Style(foreground: .black, background: .cyan)
            heading = Style(foreground: .cyan, bold: true)
            label = Style(foreground: .blue, bold: true)
            selected = Style(foreground: .black, background: .cyan)
            focused = Style(foreground: .black, background: .yellow)
            field = Style(underline: true)
            error = Style(foreground: .red, bold: true)
            warning = Style(foreground: .yellow, bold: true)
            success = Style(foreground: .green, bold: true)
            dim = Style(dim: true)
            key = Style(foreground: .yellow, bold: true)
            border = Style(foreground: .cyan)
        }
    }
}

/// Symbols the console draws with; `ascii` uses only printable ASCII.
struct Glyphs: Hashable, Sendable {
    var ellipsis: String
    var horizontal: String
    var vertical: String
    var topLeft: String
    var topRight: String
    var bottomLeft: String
    var bottomRight: String
    var arrow: String
    var breadcrumb: String
    var radioOn: String
    var radioOff: String
    var pickerOpen: String
    var pickerClose: String
    var errorMark: String
    var warningMark: String
    var times: String
    /// Eight levels, lowest first: the sparklines of the gateway's Monitoring section.
    var sparkLevels: [String]

    static let unicode = Glyphs(
        ellipsis: "…", horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└",
        bottomRight: "┘", arrow: "→", breadcrumb: "›", radioOn: "●", radioOff: "○", pickerOpen: "‹",
        pickerClose: "›", errorMark: "✗", warningMark: "⚠", times: "×",
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"])

    static let ascii = Glyphs(
        ellipsis: "~", horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+",
        bottomRight: "+", arrow: "->", breadcrumb: ">", radioOn: "(*)", radioOff: "( )", pickerOpen: "<",
        pickerClose: ">", errorMark: "!", warningMark: "!", times: "x",
        sparkLevels: ["_", ".", ",", "-", "~", "=", "*", "#"])
}

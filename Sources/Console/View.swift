import GatewayKit
import Terminal

/// The console's one drawing function: the state at a size, as a screen. Pure, so every
/// screen is snapshot-tested as text.
public func view(_ state: ConsoleState, size: Size) -> Screen {
    var screen = Screen(size: size)
    let layout = Layout(size: size)
    let theme = state.theme
    guard !layout.isTooSmall else {
        let x = theme.glyphs == .ascii ? "x" : "×"
        let notice = "terminal too small (need \(Layout.minimum.columns)\(x)\(Layout.minimum.rows))"
        let width = min(notice.count, size.columns)
        screen.draw(notice, x: (size.columns - width) / 2, y: size.rows / 2, width: width, style: theme.plain, ellipsis: theme.glyphs.ellipsis)
        return screen
    }
    Header.draw(state, layout: layout, screen: &screen)
    let body = layout.body
    state.stack.last?.draw(state, in: body, screen: &screen)
    StatusLine.draw(state, row: layout.statusRow, screen: &screen)
    KeyHintBar.draw(state.hints, y: layout.footerRow, width: size.columns, screen: &screen, theme: theme)
    if let overlay = state.overlay {
        Overlays.draw(overlay, state: state, in: body, screen: &screen)
    }
    return screen
}

extension ConsoleState {
    /// The keys in force on the top screen: the footer shows some, `?` lists them all.
    var hints: [KeyHint] { stack.last?.hints(self) ?? [] }

    /// `Projects › demo (网关演示) › Routes`.
    var breadcrumb: [String] { stack.flatMap { $0.crumbs(self) } }
}

/// The title row (kgate and where you are) and, on terminals tall enough, a row with the
/// store's location; it is the first thing to go when rows are short.
enum Header {
    static func draw(_ state: ConsoleState, layout: Layout, screen: inout Screen) {
        let theme = state.theme
        let width = layout.size.columns
        screen.fill(x: 0, y: 0, width: width, height: 1, style: theme.title)
        let badge = state.readOnly ? " read-only " : ""
        let used = screen.draw(" kgate ", x: 0, y: 0, style: theme.title, ellipsis: "")
        // Where you are matters more than how you got there: drop leading steps first.
        let room = width - used - 2 - badge.count
        let separator = " \(theme.glyphs.breadcrumb) "
        var parts = state.breadcrumb
        var crumbs = parts.joined(separator: separator)
        while crumbs.terminalWidth > room, parts.count > 1 {
            parts.removeFirst()
            crumbs = theme.glyphs.ellipsis + separator + parts.joined(separator: separator)
        }
        screen.draw(crumbs, x: used + 1, y: 0, width: room, style: theme.title, ellipsis: theme.glyphs.ellipsis)
        if !badge.isEmpty { screen.draw(badge, x: width - badge.count, y: 0, style: theme.warning, ellipsis: "") }
        guard layout.headerRows > 1 else { return }
        var line = state.location
        // Manifests that did not load, and what loaded with a warning (a folder that could
        // not be read, a Secret others may read): `kgate projects` prints each in full.
        var troubles: [String] = []
        if let problems = state.inventory?.problems.count, problems > 0 {
            troubles.append("\(Plural.count(problems, "manifest")) did not load")
        }
        if let warnings = state.inventory?.warnings.count, warnings > 0 {
            troubles.append(Plural.count(warnings, "warning"))
        }
        if !troubles.isEmpty { line += "  \(theme.glyphs.warningMark) " + troubles.joined(separator: ", ") }
        screen.draw(line, x: 1, y: 1, width: width - 2, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
    }
}

/// The status row: the command line while `:` is open, else the last message.
enum StatusLine {
    static func draw(_ state: ConsoleState, row: Int, screen: inout Screen) {
        let theme = state.theme
        if case .command(let field)? = state.overlay {
            // The commands the typed start matches, on the right: Tab completes them.
            let matching = JumpCommand.candidates(field.text.lowercased()).map(\.name)
            let choices = matching.isEmpty ? "no such command" : matching.joined(separator: " ") + "  (Tab completes)"
            let columns = screen.size.columns
            let fieldWidth = max(0, max(min(20, columns - 1), columns - choices.terminalWidth - 3))
            screen.put(":", x: 0, y: row, style: theme.key)
            if fieldWidth + 4 < columns {
                screen.draw(choices, x: fieldWidth + 2, y: row, width: columns - fieldWidth - 3, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
            }
            field.draw(x: 1, y: row, width: fieldWidth, style: theme.plain, focused: true, screen: &screen, theme: theme)
            return
        }
        if let flash = state.flash {
            let style: Style
            switch flash.kind {
            case .info: style = theme.plain
            case .success: style = theme.success
            case .error: style = theme.error
            }
            // Flashes quote store and server text: escaped, as every message is.
            screen.draw(TerminalText.escaped(flash.text), x: 1, y: row, width: screen.size.columns - 2, style: style, ellipsis: theme.glyphs.ellipsis)
        } else if let notice = state.notice {
            screen.draw(TerminalText.escaped(notice), x: 1, y: row, width: screen.size.columns - 2, style: theme.warning, ellipsis: theme.glyphs.ellipsis)
        } else if state.loadInFlight, state.inventory == nil {
            screen.draw("Loading \(state.location)…", x: 1, y: row, style: theme.dim, ellipsis: theme.glyphs.ellipsis)
        } else if let warnings = state.inventory?.warnings, let first = warnings.first {
            // A watch that stopped following (401/403) or a kind not shown: never silent.
            // The count first: a long reason is cut at the right edge (`kgate projects` lists all).
            let count = warnings.count > 1 ? "1 of \(warnings.count): " : ""
            screen.draw(
                "\(theme.glyphs.warningMark) " + count + TerminalText.escaped(first), x: 1, y: row, width: screen.size.columns - 2,
                style: theme.warning, ellipsis: theme.glyphs.ellipsis)
        }
    }
}

/// The help box and the y/n confirmation, drawn over the body.
enum Overlays {
    static func draw(_ overlay: Overlay, state: ConsoleState, in body: Rect, screen: inout Screen) {
        let theme = state.theme
        switch overlay {
        case .command: return
        case .confirm(let confirmation):
            let width = min(body.width - 4, max(30, confirmation.prompt.terminalWidth + 4))
            let rect = Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, body.height / 2 - 2), width: width, height: 4)
            screen.box(rect, title: "Confirm", theme: theme)
            screen.draw(confirmation.prompt, x: rect.x + 2, y: rect.y + 1, width: width - 4, style: theme.warning, ellipsis: theme.glyphs.ellipsis)
            screen.draw("y yes   n no", x: rect.x + 2, y: rect.y + 2, width: width - 4, style: theme.key, ellipsis: theme.glyphs.ellipsis)
        case .help:
            HelpBox.draw(state, in: body, screen: &screen)
        }
    }
}

import GatewayKit
import Terminal

/// Draws the route editor: fields, picks and their errors line by line, scrolled so the
/// focused field shows.
extension RouteEditor {
    static let labelWidth = 14

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let editor = self
        guard rect.height > 0 else { return }
        let lines = editor.lines
        let offset = min(editor.scroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(offset).prefix(rect.height).enumerated() {
            var writer = LineWriter(x: rect.x + 1, y: rect.y + row, limit: rect.maxX, theme: state.theme)
            editor.drawLine(line, writer: &writer, screen: &screen)
        }
        if lines.count > rect.height {
            Document.scrollMark(
                start: offset, end: min(lines.count, offset + rect.height), count: lines.count, below: rect,
                screen: &screen, theme: state.theme)
        }
    }

    private func drawLine(_ line: EditorLine, writer: inout LineWriter, screen: inout Screen) {
        let theme = writer.theme
        let g = theme.glyphs
        switch line {
        case .heading(let title):
            writer.text(title, theme.heading, &screen)
        case .text(let field):
            let (label, value) = textField(field)
            writer.label(label, width: RouteEditor.labelWidth, &screen)
            if field == .name && isEdit {
                writer.text(value.text, theme.plain, &screen)
                writer.text("  (the name of a stored route cannot change)", theme.dim, &screen)
            } else {
                writer.field(value, width: 40, focused: focus == field, &screen)
            }
        case .ruleHeader(let r):
            let rule = draft.rules[r]
            writer.label("Rule \(r + 1)", width: RouteEditor.labelWidth, &screen)
            writer.text("Mode ", theme.label, &screen)
            writer.pick(rule.mode.rawValue, focused: focus == .mode(r), &screen)
            writer.text("  Protocol ", theme.label, &screen)
            writer.pick(rule.https ? "https" : "http", focused: focus == .scheme(r), &screen)
        case .ruleMode(let r):
            writer.label("Rule \(r + 1)", width: RouteEditor.labelWidth, &screen)
            writer.text("Mode ", theme.label, &screen)
            writer.pick(draft.rules[r].mode.rawValue, focused: focus == .mode(r), &screen)
        case .ruleProtocol(let r):
            writer.indent(RouteEditor.labelWidth)
            writer.text("Protocol ", theme.label, &screen)
            writer.pick(draft.rules[r].https ? "https" : "http", focused: focus == .scheme(r), &screen)
        case .host(let r):
            let rule = draft.rules[r]
            writer.indent(2)
            writer.label("Host", width: RouteEditor.labelWidth - 2, &screen)
            switch rule.mode {
            case .specify: writer.field(rule.host, width: 40, focused: focus == .host(r), &screen)
            case .auto:
                let host = draft.host(of: rule, context: context)
                writer.text(host.isEmpty ? "-" : host, theme.plain, &screen)
                writer.text(" (generated)", theme.dim, &screen)
            }
        case .secret(let r):
            writer.indent(2)
            writer.label("TLS Secret", width: RouteEditor.labelWidth - 2, &screen)
            let secret = draft.rules[r].secret
            writer.pick(secret.isEmpty ? "none" : secret, focused: focus == .secret(r), &screen)
        case .path(let r, let p):
            drawPath(r, p, writer: &writer, screen: &screen)
            writer.text(" \(g.arrow) ", theme.plain, &screen)
            drawBackend(r, p, writer: &writer, screen: &screen)
        case .pathOnly(let r, let p):
            drawPath(r, p, writer: &writer, screen: &screen)
        case .backend(let r, let p):
            writer.indent(8)
            writer.text("\(g.arrow) ", theme.plain, &screen)
            drawBackend(r, p, writer: &writer, screen: &screen)
        case .label(let i):
            drawPair(draft.labels[i], key: .labelKey(i), value: .labelValue(i), writer: &writer, screen: &screen)
        case .annotation(let i):
            drawPair(draft.annotations[i], key: .annotationKey(i), value: .annotationValue(i), writer: &writer, screen: &screen)
        case .save:
            let label = isEdit ? "[ Save changes ]" : "[ Create ]"
            writer.text(label, focus == .save ? theme.focused : theme.heading, &screen)
            if saving { writer.text("  saving…", theme.dim, &screen) }
            if errors.count > 0 {
                writer.text("  \(Plural.count(errors.count, "invalid field"))", theme.error, &screen)
            }
        case .error(let text, let first):
            writer.indent(RouteEditor.labelWidth)
            writer.text((first ? "\(g.errorMark) " : "  ") + text, theme.error, &screen)
        case .preview(let place, let target):
            writer.indent(2)
            writer.text(place, theme.plain, &screen)
            writer.text(" \(g.arrow) \(target)", theme.dim, &screen)
        case .yaml(let text):
            writer.indent(2)
            writer.text(text, theme.dim, &screen)
        case .blank:
            break
        }
    }

    /// `key = value`, a label's or an annotation's.
    private func drawPair(
        _ pair: AnnotationField, key: EditorField, value: EditorField, writer: inout LineWriter, screen: inout Screen
    ) {
        writer.indent(2)
        writer.field(pair.key, width: 34, focused: focus == key, &screen)
        writer.text(" = ", writer.theme.plain, &screen)
        writer.field(pair.value, width: 24, focused: focus == value, &screen)
    }

    private func drawPath(_ r: Int, _ p: Int, writer: inout LineWriter, screen: inout Screen) {
        let path = draft.rules[r].paths[p]
        writer.indent(2)
        writer.label("Path", width: 6, &screen)
        writer.field(path.path, width: 14, focused: focus == .path(r, p), &screen)
        writer.text(" ", writer.theme.plain, &screen)
        writer.pick(RouteEditor.shortName(path.pathType), focused: focus == .pathType(r, p), &screen)
    }

    private func drawBackend(_ r: Int, _ p: Int, writer: inout LineWriter, screen: inout Screen) {
        let path = draft.rules[r].paths[p]
        writer.pick(path.service.isEmpty ? "service?" : path.service, focused: focus == .service(r, p), &screen)
        writer.text(":", writer.theme.plain, &screen)
        writer.pick(path.portText.isEmpty ? "port?" : path.portText, focused: focus == .port(r, p), &screen)
    }

    private func textField(_ field: EditorField) -> (String, TextField) {
        switch field {
        case .alias: ("Alias", draft.alias)
        case .description: ("Description", draft.description)
        default: ("Name", draft.name)
        }
    }

    static func shortName(_ type: PathType) -> String {
        switch type {
        case .implementationSpecific: "ImplSpecific"
        case .prefix: "Prefix"
        case .exact: "Exact"
        }
    }
}

/// Writes one form line left to right, never past `limit`.
struct LineWriter {
    var x: Int
    var y: Int
    var limit: Int
    let theme: Theme

    var room: Int { max(0, limit - x) }

    mutating func indent(_ columns: Int) { x += columns }

    mutating func text(_ text: String, _ style: Style, _ screen: inout Screen) {
        guard room > 0 else { return }
        x += screen.draw(text, x: x, y: y, width: room, style: style, ellipsis: theme.glyphs.ellipsis)
    }

    mutating func label(_ text: String, width: Int, _ screen: inout Screen) {
        guard room > 0 else { return }
        screen.draw(text, x: x, y: y, width: min(width, room), style: theme.label, ellipsis: theme.glyphs.ellipsis)
        x += width
    }

    mutating func field(_ field: TextField, width: Int, focused: Bool, _ screen: inout Screen) {
        let width = min(width, room)
        guard width > 0 else { return }
        field.draw(
            x: x, y: y, width: width, style: focused ? theme.focused : theme.field, focused: focused, screen: &screen,
            theme: theme)
        x += width
    }

    mutating func pick(_ value: String, focused: Bool, _ screen: inout Screen) {
        let g = theme.glyphs
        text("\(g.pickerOpen)\(value)\(g.pickerClose)", focused ? theme.focused : theme.plain, &screen)
    }
}

import Terminal

/// A key binding as the operator reads it: in the footer and in the `?` help.
struct KeyHint: Hashable, Sendable {
    var key: String
    var label: String
    /// A key that writes to the store: hidden in read-only mode.
    var writes: Bool = false
    /// Shown in the footer (the help lists every hint).
    var footer: Bool = true

    static func write(_ key: String, _ label: String, footer: Bool = true) -> KeyHint {
        KeyHint(key: key, label: label, writes: true, footer: footer)
    }

    static let help = KeyHint(key: "?", label: "help")
    static let back = KeyHint(key: "Esc", label: "back")
    static let quit = KeyHint(key: "q", label: "quit")
    static let move = KeyHint(key: "↑↓/jk", label: "move", footer: false)
    static let command = KeyHint(key: ":", label: "jump (:projects :gateway :routes :q)", footer: false)
    static let interrupt = KeyHint(key: "Ctrl-C", label: "leave now", footer: false)
}

/// The footer: `key label` pairs, cut at the right edge.
enum KeyHintBar {
    static func draw(_ hints: [KeyHint], readOnly: Bool, y: Int, width: Int, screen: inout Screen, theme: Theme) {
        var x = 1
        for hint in hints where hint.footer && !(readOnly && hint.writes) {
            let key = theme.glyphs == .ascii ? asciiKey(hint.key) : hint.key
            let needed = key.terminalWidth + 1 + hint.label.terminalWidth
            guard x + needed <= width else { break }
            x += screen.put(key, x: x, y: y, style: theme.key)
            x += 1
            x += screen.put(hint.label, x: x, y: y, style: theme.plain)
            x += 2
        }
    }

    /// `↑↓/jk` → `up/dn/jk`: key names without arrows for `--ascii`.
    static func asciiKey(_ key: String) -> String {
        key.replacingArrows()
    }
}

extension String {
    func replacingArrows() -> String {
        var out = ""
        for c in self {
            switch c {
            case "↑": out += "Up"
            case "↓": out += "Dn"
            case "←": out += "Lt"
            case "→": out += "Rt"
            default: out.append(c)
            }
        }
        return out
    }
}

import Terminal

/// A key binding as the operator reads it: in the footer and in the `?` help. Made from a
/// screen's `KeyBinding`s, never written by hand.
struct KeyHint: Hashable, Sendable {
    /// The keys as the footer shows them.
    var key: String
    /// Every key that does it, as the help shows them.
    var helpKey: String
    var label: String
    var writes: Bool = false
    var footer: Bool = true
    /// Kept in the footer at any width that has room for it.
    var essential: Bool = false
}

/// The footer: `key label` pairs, cut at the right edge, but `? help` and `q quit` always
/// kept (the others give way to them).
enum KeyHintBar {
    static func draw(_ hints: [KeyHint], y: Int, width: Int, screen: inout Screen, theme: Theme) {
        let shown = hints.filter(\.footer)
        func cost(_ hint: KeyHint) -> Int { key(hint, theme).terminalWidth + 1 + hint.label.terminalWidth + 2 }
        var room = width - 1 - shown.filter(\.essential).map(cost).reduce(0, +)
        var kept: [KeyHint] = []
        for hint in shown {
            if hint.essential {
                kept.append(hint)
            } else if cost(hint) <= room {
                room -= cost(hint)
                kept.append(hint)
            } else {
                // Later hints never jump ahead of one that did not fit.
                room = 0
            }
        }
        var x = 1
        for hint in kept {
            let key = key(hint, theme)
            let needed = key.terminalWidth + 1 + hint.label.terminalWidth
            guard x + needed <= width else { break }
            x += screen.put(key, x: x, y: y, style: theme.key)
            x += 1
            x += screen.put(hint.label, x: x, y: y, style: theme.plain)
            x += 2
        }
    }

    private static func key(_ hint: KeyHint, _ theme: Theme) -> String {
        theme.glyphs == .ascii ? hint.key.replacingArrows() : hint.key
    }
}

extension String {
    /// `↑↓/jk` → `UpDn/jk`: key names without arrows for `--ascii`.
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

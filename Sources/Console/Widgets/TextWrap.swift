import Terminal

/// Word wrapping by display width, for messages that must be read whole (a field's error).
enum TextWrap {
    /// `text` in lines of at most `width` columns, broken at spaces; a word longer than a
    /// line is broken between characters (never inside a wide one).
    static func lines(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.terminalWidth <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            for character in word {
                if (current + String(character)).terminalWidth > width, !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                current.append(character)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

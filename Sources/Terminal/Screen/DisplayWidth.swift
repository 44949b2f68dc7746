/// Display widths in terminal columns, computed in pure Swift.
///
/// Not `wcwidth(3)`: its answer depends on the process locale (tests and some SSH sessions
/// run in the C locale, where every non-ASCII character is "unprintable"), and glibc's tables
/// lag behind emoji. The rules follow what current terminals (xterm, VTE, kitty, tmux) do:
///
/// | grapheme                                  | width |
/// | ----------------------------------------- | ----- |
/// | ASCII, Latin, Greek, Cyrillic, box drawing | 1     |
/// | control characters (`\t`, `\n`, ESC, C1)   | 0     |
/// | base + combining marks (`é` as e + U+0301) | 1     |
/// | lone combining mark, ZWSP, ZWJ, BOM        | 0     |
/// | CJK ideographs, kana, Hangul, fullwidth    | 2     |
/// | emoji presentation (`😀`), flags (`🇨🇳`)     | 2     |
/// | text emoji + U+FE0F (`☺️`), keycaps (`1️⃣`)   | 2     |
/// | emoji + skin tone, emoji ZWJ sequences     | 2     |
/// | emoji + U+FE0E (text presentation)         | 1     |
extension Character {
    /// Columns this character takes in a terminal (see the table above).
    public var terminalWidth: Int {
        // Printable ASCII, most of what a console draws: one column, no table looked up.
        if let ascii = asciiValue { return isPrintableASCII(ascii) ? 1 : 0 }
        let scalars = unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isTerminalControl { return 0 }
        if scalars.count == 1 { return first.terminalWidth }
        let base = first.terminalWidth
        let firstIsEmoji = first.properties.isEmoji
        var textPresentation = false
        for scalar in scalars.dropFirst() {
            switch scalar.value {
            case 0xFE0F where firstIsEmoji: return 2
            case 0x200D where firstIsEmoji: return 2
            case 0xFE0E: textPresentation = true
            default:
                if scalar.properties.isEmojiModifier && firstIsEmoji { return 2 }
            }
        }
        if textPresentation && firstIsEmoji && !first.isEastAsianWide { return 1 }
        if base > 0 { return base }
        // A grapheme led by a zero-width scalar (a prepended mark, a lone ZWJ) takes the
        // widest of its parts, so that it is never silently dropped when it shows a glyph.
        return scalars.map(\.terminalWidth).max() ?? 0
    }
}

extension Unicode.Scalar {
    /// Columns this scalar takes on its own (see `Character.terminalWidth`).
    public var terminalWidth: Int {
        let v = value
        if v >= 0x20 && v < 0x7F { return 1 }
        if isTerminalControl { return 0 }
        // Hangul medial vowels and final consonants join the preceding initial consonant.
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        if v == 0x200B || v == 0x2060 { return 0 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if properties.isEmojiPresentation || isEastAsianWide { return 2 }
        return 1
    }

    /// C0 and C1 controls and DEL: they move the cursor or do nothing, never draw.
    var isTerminalControl: Bool {
        value < 0x20 || (0x7F..<0xA0).contains(value)
    }

    /// East Asian Wide (W) or Fullwidth (F) in Unicode's EastAsianWidth.txt.
    var isEastAsianWide: Bool {
        let v = value
        if v < 0x1100 { return false }
        return WideCharacterRanges.contains(v)
    }
}

extension StringProtocol {
    /// Columns this text takes in a terminal.
    public var terminalWidth: Int { isPrintableASCII ? utf8.count : reduce(0) { $0 + $1.terminalWidth } }

    /// Whether every byte is printable ASCII (0x20–0x7E): then each byte is one column, and
    /// a cut at any byte is a cut between characters.
    public var isPrintableASCII: Bool { utf8.allSatisfy(Terminal.isPrintableASCII) }
}

/// 0x20–0x7E: a byte that is a character of one column.
@inline(__always) func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

// The same for `String` itself, on its bytes in place: the generic forms above are not
// specialised across modules, and a frame of log lines asks this of every line (it was
// 7 % of the console's CPU following 1,000 lines/s, kgate-bench `logs_follow_cpu_percent`).
extension String {
    public var terminalWidth: Int { isPrintableASCII ? utf8.count : reduce(0) { $0 + $1.terminalWidth } }

    public var isPrintableASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            var printable = true
            for byte in bytes { printable = printable && Terminal.isPrintableASCII(byte) }
            return printable
        } ?? utf8.allSatisfy(Terminal.isPrintableASCII)
    }
}

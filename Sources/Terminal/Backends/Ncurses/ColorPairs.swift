import CNcursesw

/// Maps a `Style` to curses attributes and a color pair, allocating pairs as styles appear.
///
/// Curses draws colors only through numbered pairs (foreground, background) that must be
/// declared first; the cache declares each combination once. The default color is -1
/// (`use_default_colors`), so the terminal's own background shows through, transparent.
/// In monochrome (NO_COLOR, `--no-color`, or a terminal without colors) only bold,
/// underline and reverse are drawn, and a colored background, which a theme uses to mark a
/// selection, becomes reverse so that the selection stays visible.
struct ColorPairs {
    let monochrome: Bool
    private var pairs: [UInt16: Int16] = [:]
    private var nextPair: Int16 = 1
    private let pairLimit: Int
    /// False when `use_default_colors` failed: the default becomes white on black.
    private let transparentDefault: Bool

    init(monochrome: Bool, pairLimit: Int, transparentDefault: Bool) {
        self.monochrome = monochrome
        self.pairLimit = pairLimit
        self.transparentDefault = transparentDefault
    }

    mutating func attributes(for style: Style) -> (attributes: attr_t, pair: Int16) {
        var attributes = kg_a_normal()
        if style.bold { attributes |= kg_a_bold() }
        if style.underline { attributes |= kg_a_underline() }
        if monochrome {
            if style.reverse || style.background != .default { attributes |= kg_a_reverse() }
            return (attributes, 0)
        }
        if style.reverse { attributes |= kg_a_reverse() }
        if style.dim { attributes |= kg_a_dim() }
        return (attributes, pair(foreground: style.foreground, background: style.background))
    }

    private mutating func pair(foreground: Style.Color, background: Style.Color) -> Int16 {
        if foreground == .default && background == .default { return 0 }
        let key = UInt16(foreground.rawValue) << 8 | UInt16(background.rawValue)
        if let pair = pairs[key] { return pair }
        // Out of pairs (a terminal with very few): draw in the default colors rather than fail.
        guard Int(nextPair) < pairLimit else { return 0 }
        let pair = nextPair
        let fg = foreground == .default && !transparentDefault ? Int16(COLOR_WHITE) : ColorPairs.curses(foreground)
        let bg = background == .default && !transparentDefault ? Int16(COLOR_BLACK) : ColorPairs.curses(background)
        guard init_pair(pair, fg, bg) == OK else { return 0 }
        nextPair += 1
        pairs[key] = pair
        return pair
    }

    private static func curses(_ color: Style.Color) -> Int16 {
        switch color {
        case .default: return -1
        case .black: return Int16(COLOR_BLACK)
        case .red: return Int16(COLOR_RED)
        case .green: return Int16(COLOR_GREEN)
        case .yellow: return Int16(COLOR_YELLOW)
        case .blue: return Int16(COLOR_BLUE)
        case .magenta: return Int16(COLOR_MAGENTA)
        case .cyan: return Int16(COLOR_CYAN)
        case .white: return Int16(COLOR_WHITE)
        }
    }
}

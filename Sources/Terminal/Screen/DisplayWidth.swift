extension Character {
    /// Columns this character takes in a terminal: 0 for combining marks and other
    /// zero-width characters, 2 for East Asian wide and fullwidth characters and emoji
    /// presentation, 1 otherwise.
    public var terminalWidth: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if unicodeScalars.count > 1, unicodeScalars.contains(where: { $0.value == 0xFE0F }) {
            return 2
        }
        return first.terminalWidth
    }
}

extension Unicode.Scalar {
    /// Columns this scalar takes on its own (see `Character.terminalWidth`).
    public var terminalWidth: Int {
        let v = value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if properties.isEmojiPresentation { return 2 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
            0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
            0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

extension StringProtocol {
    /// Columns this text takes in a terminal.
    public var terminalWidth: Int { reduce(0) { $0 + $1.terminalWidth } }
}

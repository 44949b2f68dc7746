/// A key press, decoded from the terminal's input.
public enum Key: Hashable, Sendable {
    case character(Character)
    case ctrl(Character)      // Ctrl-A … Ctrl-Z as their lower-case letter
    case alt(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, tab, backTab, backspace, delete, insert, escape
    case function(Int)
}

/// What the terminal tells the app: a key, or that its size changed.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(Size)
}

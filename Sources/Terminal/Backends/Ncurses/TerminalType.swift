/// What to do with a `TERM` this machine's terminfo does not know.
///
/// Newer terminals (kitty, ghostty, wezterm, alacritty…) name themselves `xterm-<name>`
/// and ship their terminfo entry with the terminal, not with the server one logs into
/// over SSH. They all speak xterm's 256-color dialect, so that is used instead of
/// refusing; any other unknown name is refused (guessing could draw garbage).
public enum TerminalType {
    public static let xtermFallback = "xterm-256color"

    /// The type to try instead of `requested`, or nil when there is none.
    public static func fallback(for requested: String) -> String? {
        requested.hasPrefix("xterm-") && requested != xtermFallback ? xtermFallback : nil
    }

    /// The one line telling the operator what was done.
    public static func note(requested: String, used: String) -> String {
        "TERM=\(requested) is not in this machine's terminfo; kgate used \(used) "
            + "(install the terminal's terminfo entry to use its own)"
    }
}

/// Text from a file, a manifest or a server answer, made safe to print on a terminal.
///
/// Every control character (C0, DEL, C1, the line and paragraph separators, the bidi
/// embeddings, overrides and isolates) is written as an escape, so an ESC sequence
/// cannot repaint the operator's screen and a bidi override cannot reorder a message:
///
///     TerminalText.escaped("evil\u{1B}[2Jname")   // "evil\u{1B}[2Jname", shown as text
///
/// Backslashes are left alone, so escaping twice changes nothing: a message may pass
/// through more than one printer.
public enum TerminalText {
    /// One line: line breaks are escaped too.
    public static func escaped(_ text: String) -> String {
        escaped(text, keepingLineBreaks: false)
    }

    /// A message of several lines: `\n` stays a line break, every other control is escaped.
    public static func escapedKeepingLineBreaks(_ text: String) -> String {
        escaped(text, keepingLineBreaks: true)
    }

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: TextRules.isControl) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if TextRules.isControl(scalar), !(keepingLineBreaks && scalar == "\n") {
                result += TextRules.escape(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

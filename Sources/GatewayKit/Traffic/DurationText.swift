/// A duration as kubectl takes one (`--since=5m`, `--window 1h30m`): whole numbers, each
/// with a unit `s`, `m` or `h`, largest first, as in Go's `time.ParseDuration` (which
/// also has fractions and smaller units; a log window needs neither).
///
///     try DurationText.parse("90s", option: "--since")   // .seconds(90)
///     try DurationText.parse("1h30m", option: "--window") // .seconds(5400)
public enum DurationText {
    public static func parse(_ text: String, option: String) throws(FieldError) -> Duration {
        let example = "such as 30s, 5m or 1h30m"
        guard !text.isEmpty else { throw FieldError(FieldPath(option), "must be a duration, \(example); not empty") }
        var seconds = 0
        var digits = ""
        var lastUnit = Int.max
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let scale: Int
            switch character {
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default:
                throw FieldError(
                    FieldPath(option), "\"\(TerminalText.escaped(text))\" is not a duration: units are s, m and h, \(example)")
            }
            guard let value = Int(digits), digits.count <= 9 else {
                throw FieldError(FieldPath(option), "\"\(TerminalText.escaped(text))\" is not a duration: a number must come before each unit, \(example)")
            }
            guard scale < lastUnit else {
                throw FieldError(FieldPath(option), "\"\(TerminalText.escaped(text))\" is not a duration: give each unit once, largest first, \(example)")
            }
            lastUnit = scale
            seconds += value * scale
            digits = ""
        }
        guard digits.isEmpty else {
            throw FieldError(FieldPath(option), "\"\(TerminalText.escaped(text))\" is not a duration: the number \(digits) has no unit (s, m or h), \(example)")
        }
        guard seconds > 0 else { throw FieldError(FieldPath(option), "must be longer than 0s") }
        return .seconds(seconds)
    }

    /// `5m`, `1h30m`, `45s`: the shortest text `parse` reads back as `duration`.
    public static func text(_ duration: Duration) -> String {
        let total = Int(duration.components.seconds)
        let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60)
        let text = (h > 0 ? "\(h)h" : "") + (m > 0 ? "\(m)m" : "") + (s > 0 ? "\(s)s" : "")
        return text.isEmpty ? "0s" : text
    }
}

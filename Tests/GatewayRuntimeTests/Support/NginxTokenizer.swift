/// nginx's config tokenizer (`ngx_conf_read_token`) as far as kgate's output needs it:
/// words, double-quoted strings with nginx's escapes, `;`, `{`, `}`, and `#` comments
/// outside quotes. Tests read rendered configs back with it to prove a value stayed one
/// token, whatever it held.
enum NginxTokenizer {
    enum Token: Hashable, CustomStringConvertible {
        case word(String)
        case semicolon
        case open
        case close

        var description: String {
            switch self {
            case .word(let text): "word(\(text.debugDescription))"
            case .semicolon: ";"
            case .open: "{"
            case .close: "}"
            }
        }
    }

    struct Unterminated: Error {}

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.first {
            switch scalar {
            case " ", "\t", "\n", "\r":
                scalars.removeFirst()
            case "#":
                while let next = scalars.first, next != "\n" { scalars.removeFirst() }
            case ";":
                scalars.removeFirst()
                tokens.append(.semicolon)
            case "{":
                scalars.removeFirst()
                tokens.append(.open)
            case "}":
                scalars.removeFirst()
                tokens.append(.close)
            case "\"", "'":
                scalars.removeFirst()
                var word = String.UnicodeScalarView()
                var closed = false
                while let next = scalars.popFirst() {
                    if next == scalar {
                        closed = true
                        break
                    }
                    if next == "\\", let escaped = scalars.popFirst() {
                        switch escaped {
                        case "\"", "'", "\\": word.append(escaped)
                        case "t": word.append("\t")
                        case "r": word.append("\r")
                        case "n": word.append("\n")
                        default:
                            word.append("\\")
                            word.append(escaped)
                        }
                        continue
                    }
                    word.append(next)
                }
                guard closed else { throw Unterminated() }
                tokens.append(.word(String(word)))
            default:
                var word = String.UnicodeScalarView()
                while let next = scalars.first, !" \t\n\r;{}\"'".unicodeScalars.contains(next) {
                    word.append(next)
                    scalars.removeFirst()
                }
                tokens.append(.word(String(word)))
            }
        }
        return tokens
    }
}

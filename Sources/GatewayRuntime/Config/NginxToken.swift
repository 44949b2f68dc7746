/// A value written into nginx.conf: the one place where text from the model becomes
/// config text.
///
/// Every value is written as an nginx double-quoted string, so `;`, `{`, `}`, `#` and
/// spaces inside it are inert: nginx's tokenizer ends a quoted token only at an unescaped
/// `"`. `"` and `\` are escaped with a backslash (nginx unescapes `\"` and `\\` in quoted
/// tokens). What quoting cannot make inert is refused:
///
/// - `$`: nginx expands variables inside quoted strings, and has no escape for `$`;
/// - control characters (`\r`, `\n`, `\t`, NUL, DEL, C1) and the Unicode line
///   separators: a line break is how a directive gets injected, and nginx unescapes `\t`,
///   `\r`, `\n` sequences, so none of these can be carried safely;
/// - the empty string: no value kgate writes is legitimately empty.
///
/// There is deliberately no way to write raw text from the model: no snippets.
public struct NginxToken: Hashable, Sendable, CustomStringConvertible {
    /// The value as the config holds it, quotes included.
    public let quoted: String

    public init(_ value: String) throws(NginxValueRefused) {
        guard !value.isEmpty else { throw NginxValueRefused(length: 0, reason: "is empty") }
        var text = "\""
        for scalar in value.unicodeScalars {
            if scalar == "$" {
                throw NginxValueRefused(length: value.count, reason: "holds '$', which nginx would expand as a variable")
            }
            if NginxToken.isControl(scalar) {
                throw NginxValueRefused(length: value.count, reason: "holds a control character or line break")
            }
            if scalar == "\"" || scalar == "\\" { text.append("\\") }
            text.unicodeScalars.append(scalar)
        }
        text.append("\"")
        quoted = text
    }

    /// Appends `value` quoted to a config being written: what `init(_:)` gives, without
    /// a string of its own for the usual value (printable ASCII); anything else, and
    /// every refusal, goes through `init(_:)`.
    static func append(_ value: String, to out: OutputBytes) throws(NginxValueRefused) {
        // Read where the string holds its UTF-8, not from a copy (a retain and a release a value).
        let appended = value.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.isEmpty else { return false }
            var needsEscapes = false
            for byte in bytes {
                if byte < 0x20 || byte >= 0x7F || byte == dollar { return false }
                if byte == quote || byte == backslash { needsEscapes = true }
            }
            out.append(quote)
            if needsEscapes {
                for byte in bytes {
                    if byte == quote || byte == backslash { out.append(backslash) }
                    out.append(byte)
                }
            } else {
                // The usual value: copied whole (byte by byte was a fifth of nginx.conf's printing).
                out.append(bytes)
            }
            out.append(quote)
            return true
        }
        if appended != true { out.append(try NginxToken(value).quoted) }
    }

    /// A number written as such (ports, sizes): digits only, so nothing to quote.
    public init(_ number: Int) {
        // Digits and an optional minus sign cannot end a token or start a comment.
        quoted = String(number)
    }

    public var description: String { quoted }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let dollar = UInt8(ascii: "$")

/// A value that cannot be written into nginx.conf; the message never repeats the value
/// itself (it could be anything, key material included), only its length.
public struct NginxValueRefused: Error, Hashable, Sendable, CustomStringConvertible {
    public var length: Int
    public var reason: String

    public var description: String { "a value of \(length) characters \(reason)" }
}

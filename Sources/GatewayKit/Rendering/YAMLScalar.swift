/// The one function that writes a string as a YAML scalar: plain when every YAML 1.1 and
/// 1.2 reader takes it back as the same string, else double-quoted with escapes.
///
/// Quoted: the empty string; words YAML reads as booleans or null (`yes`, `off`, `~`,
/// `null`...); anything starting like a number (`30798`, `0x1F`, `.5`, `+1`); a leading
/// indicator (`-?:,[]{}#&*!|>'"%@` and backquote); leading or trailing space; `: `, ` #`,
/// a trailing `:`; tabs, control and other non-printable characters, line breaks.
///
/// ```
/// web            → web
/// 30798          → "30798"
/// yes            → "yes"
/// a: b           → "a: b"
/// line1\nline2   → "line1\nline2"
/// ```
public enum YAMLScalar {
    /// `text` as YAML: plain or double-quoted.
    public static func render(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` can be written without quotes.
    public static func isPlainSafe(_ text: String) -> Bool {
        var text = text
        // One pass over contiguous UTF-8: this runs for every key and value rendered.
        return text.withUTF8(isPlainSafe)
    }

    private static func isPlainSafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if last == space || last == colon { return false }
        if leadingIndicator[Int(first)] || startsLikeNumber(first) { return false }
        if bytes.count <= 5 && isReservedWord(bytes) { return false }
        var previous: UInt8 = 0
        var hasNonASCII = false
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 { hasNonASCII = true }
            if previous == colon && byte == space { return false }
            if previous == space && byte == hash { return false }
            previous = byte
        }
        // Non-ASCII: only printable characters that are not line breaks in YAML 1.1.
        if hasNonASCII {
            for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars
            where scalar.value >= 0x80 && !isPrintable(scalar) {
                return false
            }
        }
        return true
    }

    private static func isReservedWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch bytes[0] {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            return reservedWords.contains(String(decoding: bytes, as: UTF8.self))
        default:
            return false
        }
    }

    /// Whether the string held by `text` is written plain, as exactly `text`: asked by the
    /// fast reader of every key and plain scalar it reads, on the text's own bytes.
    static func writesPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard isPlainSafe(text) else { return false }
        // Bytes that are not UTF-8 become U+FFFD in the string, which is written otherwise.
        return !text.contains(where: { $0 >= 0x80 }) || String(decoding: text, as: UTF8.self).utf8.elementsEqual(text)
    }

    /// Whether `append(string)` writes exactly `text`.
    static func writes(_ string: String, as text: UnsafeBufferPointer<UInt8>) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            if isPlainSafe(bytes) { return bytes.elementsEqual(text) }
            var quoted: [UInt8] = []
            appendQuoted(String(decoding: bytes, as: UTF8.self), to: &quoted)
            return quoted.elementsEqual(text)
        }
    }

    /// Appends `text`, plain or quoted, to a UTF-8 buffer.
    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            if isPlainSafe(bytes) {
                out.append(contentsOf: bytes)
            } else {
                appendQuoted(String(decoding: bytes, as: UTF8.self), to: &out)
            }
        }
    }

    /// A YAML double-quoted scalar. Its escapes are also JSON's, so it reads the same in both.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [backslash, quote])
            case 0x5C: out.append(contentsOf: [backslash, backslash])
            case 0x0A: out.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0x20..<0x7F: out.append(UInt8(truncatingIfNeeded: scalar.value))
            default:
                if scalar.value < 0x80 || !isPrintable(scalar) {
                    appendUnicodeEscape(scalar.value, to: &out)
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
        out.append(quote)
    }

    /// `\uXXXX`, or `\UXXXXXXXX` above the BMP (never needed for printable characters).
    static func appendUnicodeEscape(_ value: UInt32, to out: inout [UInt8]) {
        out.append(backslash)
        let digits = value > 0xFFFF ? 8 : 4
        out.append(UInt8(ascii: value > 0xFFFF ? "U" : "u"))
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// YAML's printable set minus NEL, the line and paragraph separators, the BOM and
    /// the C1 controls: characters every reader keeps as they are.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xA0...0x2027, 0x202A...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func startsLikeNumber(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "+")
    }
}

private let space = UInt8(ascii: " ")
private let colon = UInt8(ascii: ":")
private let hash = UInt8(ascii: "#")
private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let hexDigits = Array("0123456789ABCDEF".utf8)

/// Bytes that may not start a plain scalar, as a 256-entry table.
private let leadingIndicator: [Bool] = {
    var table = Array(repeating: false, count: 256)
    for byte in "-?:,[]{}#&*!|>'\"%@`=<~ ".utf8 { table[Int(byte)] = true }
    return table
}()

/// Plain words that YAML 1.1 or 1.2 reads as booleans or null.
private let reservedWords: Set<String> = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF",
    "null", "Null", "NULL", "~",
]

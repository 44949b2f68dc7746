/// Writes a `ManifestValue` as JSON (RFC 8259), indented by two spaces as kubectl does,
/// keys in the map's own order.
///
/// Strings escape `"`, `\`, the C0 controls (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`),
/// DEL and U+2028/U+2029 (valid JSON, but not valid JavaScript); the rest is UTF-8.
public enum JSONEmitter {
    /// The value, ending in a newline.
    public static func document(_ value: ManifestValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        append(value, indent: 0, to: &out)
        out.append(newline)
        return String(decoding: out, as: UTF8.self)
    }

    static func append(_ value: ManifestValue, indent: Int, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: nullBytes)
        case .bool(let flag): out.append(contentsOf: flag ? trueBytes : falseBytes)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .string(let text): appendString(text, to: &out)
        case .list(let items):
            guard !items.isEmpty else { return out.append(contentsOf: emptyList) }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(comma) }
                out.append(newline)
                appendIndent(indent + 2, to: &out)
                append(item, indent: indent + 2, to: &out)
            }
            out.append(newline)
            appendIndent(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        case .map(let fields):
            guard !fields.isEmpty else { return out.append(contentsOf: emptyMap) }
            out.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(comma) }
                out.append(newline)
                appendIndent(indent + 2, to: &out)
                appendString(field.key, to: &out)
                out.append(contentsOf: colonSpace)
                append(field.value, indent: indent + 2, to: &out)
            }
            out.append(newline)
            appendIndent(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        let start = out.count
        out.append(quote)
        var text = text
        let plain = text.withUTF8 { bytes in
            // Most strings need no escape: copy them whole.
            guard !bytes.contains(where: needsEscape) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(quote)
            if text.utf8.contains(0xE2) { escapeLineSeparators(in: &out, from: start) }
            return
        }
        for byte in text.utf8 {
            switch byte {
            case quote: out.append(contentsOf: [backslash, quote])
            case backslash: out.append(contentsOf: [backslash, backslash])
            case 0x0A: out.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [backslash, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [backslash, UInt8(ascii: "f")])
            case 0x00..<0x20, 0x7F: YAMLScalar.appendUnicodeEscape(UInt32(byte), to: &out)
            default: out.append(byte)
            }
        }
        out.append(quote)
        // U+2028 and U+2029 (E2 80 A8/A9) are rare: fix them up afterwards, off the hot path.
        if text.utf8.contains(0xE2) { escapeLineSeparators(in: &out, from: start) }
    }

    private static func escapeLineSeparators(in out: inout [UInt8], from start: Int) {
        var index = start
        while index + 2 < out.count {
            if out[index] == 0xE2 && out[index + 1] == 0x80 && (out[index + 2] == 0xA8 || out[index + 2] == 0xA9) {
                var escape: [UInt8] = []
                YAMLScalar.appendUnicodeEscape(out[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &escape)
                out.replaceSubrange(index..<(index + 3), with: escape)
                index += escape.count
            } else {
                index += 1
            }
        }
    }

    private static func appendIndent(_ count: Int, to out: inout [UInt8]) {
        if count < indents.count {
            out.append(contentsOf: indents[count])
        } else {
            out.append(contentsOf: repeatElement(space, count: count))
        }
    }
}

private let space = UInt8(ascii: " ")
private let comma = UInt8(ascii: ",")
private let newline = UInt8(ascii: "\n")
private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let colonSpace = Array(": ".utf8)
private let nullBytes = Array("null".utf8)
private let trueBytes = Array("true".utf8)
private let falseBytes = Array("false".utf8)
private let emptyList = Array("[]".utf8)
private let emptyMap = Array("{}".utf8)

/// Whether a byte must be written as an escape in a JSON string.
private func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == quote || byte == backslash || byte == 0x7F
}

/// Indentations up to 64 columns, ready to copy.
private let indents: [[UInt8]] = (0..<64).map { Array(repeating: space, count: $0) }

/// Writes a `ManifestValue` as block-style YAML, as kubectl does: two-space indents,
/// list items at their key's indent, `{}` and `[]` for empty containers, and every
/// string through `YAMLScalar`, the one quoting function.
///
/// ```yaml
/// metadata:
///   name: web
/// spec:
///   rules:
///   - host: demo.kubesphere.io
/// ```
public enum YAMLEmitter {
    /// One document (no `---`), ending in a newline.
    public static func document(_ value: ManifestValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        appendDocument(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Documents separated by `---` lines.
    public static func documents(_ values: [ManifestValue]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 512)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(contentsOf: separator) }
            appendDocument(value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func appendDocument(_ value: ManifestValue, to out: inout [UInt8]) {
        switch value {
        case .map(let fields) where !fields.isEmpty:
            appendFields(fields, indent: 0, to: &out)
        case .list(let items) where !items.isEmpty:
            appendItems(items, indent: 0, to: &out)
        default:
            appendInline(value, to: &out)
            out.append(newline)
        }
    }

    /// Whether `appendInline(value)` writes exactly `text`: how the fast reader
    /// (`EmittedYAML`) knows that a scalar it read is in this emitter's one form.
    static func writesInline(_ value: ManifestValue, as text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch value {
        case .null: text.elementsEqual(nullBytes)
        case .bool(let flag): text.elementsEqual(flag ? trueBytes : falseBytes)
        case .int(let number): text.elementsEqual(String(number).utf8)
        case .string(let string): YAMLScalar.writes(string, as: text)
        case .list(let items): items.isEmpty && text.elementsEqual(emptyList)
        case .map(let fields): fields.isEmpty && text.elementsEqual(emptyMap)
        }
    }

    /// Whether `appendKey(key)` writes exactly `text` before its colon.
    static func writesKey(_ key: String, as text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.count <= 1000 && YAMLScalar.writes(key, as: text)
    }

    /// Whether the key held by `text`, unquoted, is written as exactly `text`.
    static func writesPlainKey(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.count <= 1000 && YAMLScalar.writesPlain(text)
    }

    /// Fields of a map, each on its own line at `indent`.
    private static func appendFields(_ fields: [ManifestField], indent: Int, to out: inout [UInt8]) {
        for field in fields {
            appendIndent(indent, to: &out)
            appendKey(field.key, indent: indent, to: &out)
            appendValue(field.value, indent: indent, to: &out)
        }
    }

    /// Items of a list, each `- ` at `indent`.
    private static func appendItems(_ items: [ManifestValue], indent: Int, to out: inout [UInt8]) {
        for item in items {
            appendIndent(indent, to: &out)
            appendItem(item, indent: indent, to: &out)
        }
    }

    /// One list item whose `- ` starts at `indent` (the indent is already written).
    private static func appendItem(_ item: ManifestValue, indent: Int, to out: inout [UInt8]) {
        out.append(contentsOf: dash)
        switch item {
        case .map(let fields) where !fields.isEmpty:
            // The first field shares the dash's line; the rest align under it.
            for (index, field) in fields.enumerated() {
                if index > 0 { appendIndent(indent + 2, to: &out) }
                appendKey(field.key, indent: indent + 2, to: &out)
                appendValue(field.value, indent: indent + 2, to: &out)
            }
        case .list(let items) where !items.isEmpty:
            for (index, inner) in items.enumerated() {
                if index > 0 { appendIndent(indent + 2, to: &out) }
                appendItem(inner, indent: indent + 2, to: &out)
            }
        default:
            appendInline(item, to: &out)
            out.append(newline)
        }
    }

    /// What follows `key:` for a value under a key at `indent`.
    private static func appendValue(_ value: ManifestValue, indent: Int, to out: inout [UInt8]) {
        switch value {
        case .map(let fields) where !fields.isEmpty:
            out.append(newline)
            appendFields(fields, indent: indent + 2, to: &out)
        case .list(let items) where !items.isEmpty:
            out.append(newline)
            appendItems(items, indent: indent, to: &out)
        default:
            out.append(space)
            appendInline(value, to: &out)
            out.append(newline)
        }
    }

    /// `key:`; a key whose written form is too long for YAML's 1024-character implicit
    /// keys becomes `? key` / `:`.
    private static func appendKey(_ key: String, indent: Int, to out: inout [UInt8]) {
        let start = out.count
        YAMLScalar.append(key, to: &out)
        // `writesKey` knows this limit.
        if out.count - start > 1000 {
            out.removeSubrange(start...)
            out.append(contentsOf: explicitKey)
            YAMLScalar.appendQuoted(key, to: &out)
            out.append(newline)
            appendIndent(indent, to: &out)
        }
        out.append(colon)
    }

    private static func appendInline(_ value: ManifestValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: nullBytes)
        case .bool(let flag): out.append(contentsOf: flag ? trueBytes : falseBytes)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .string(let text): YAMLScalar.append(text, to: &out)
        case .list: out.append(contentsOf: emptyList)
        case .map: out.append(contentsOf: emptyMap)
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
private let colon = UInt8(ascii: ":")
private let newline = UInt8(ascii: "\n")
private let dash = Array("- ".utf8)
private let separator = Array("---\n".utf8)
private let nullBytes = Array("null".utf8)
private let trueBytes = Array("true".utf8)
private let falseBytes = Array("false".utf8)
private let emptyList = Array("[]".utf8)
private let emptyMap = Array("{}".utf8)
private let explicitKey = Array("? ".utf8)

/// Indentations up to 64 columns, ready to copy.
private let indents: [[UInt8]] = (0..<64).map { Array(repeating: space, count: $0) }

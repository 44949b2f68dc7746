/// Reads a YAML document written in exactly the form `YAMLEmitter` writes (every file kgate
/// writes, and most that `kubectl` or kgate's own `render` print), in one pass over its
/// bytes; nil for anything else, which the full YAML reader then reads.
///
/// A result is accepted only when emitting it gives back the very same bytes: the emitter
/// writes each value one way and the full reader reads that back as the same value, so
/// this can never read a text differently from it, only faster. The reader takes only the
/// emitter's layout, and each key and scalar only in the form the emitter writes it
/// (`YAMLEmitter.writesInline`, `writesKey`, `YAMLScalar.writesPlain`), so that it need not write the document again
/// to compare (which was a seventh of a cold first frame's instructions); debug builds
/// still do, and every test that reads YAML checks that.
enum EmittedYAML {
    static func read(_ text: Substring) -> ManifestValue? {
        // Copied whole from the text's contiguous UTF-8 (element by element through the
        // view, the copy was a fortieth of a cold first frame). A document after the first
        // starts with its `---` line (YAMLDocuments.split).
        var text = text
        let bytes = text.withUTF8 { utf8 in
            Array(utf8.starts(with: marker) ? UnsafeBufferPointer(rebasing: utf8[marker.count...]) : utf8)
        }
        var reader = Reader(bytes: bytes)
        guard let value = reader.document(), reader.position == bytes.count else { return nil }
        assert(emits(value, as: bytes), "the fast reader took a text the emitter does not write: \(text)")
        return value
    }

    /// Whether emitting `value` gives `bytes` (debug builds check each read with it).
    static func emits(_ value: ManifestValue, as bytes: [UInt8]) -> Bool {
        var emitted: [UInt8] = []
        emitted.reserveCapacity(bytes.count)
        YAMLEmitter.appendDocument(value, to: &emitted)
        return emitted == bytes
    }
}

private let marker = Array("---\n".utf8)
private let space = UInt8(ascii: " ")
private let newline = UInt8(ascii: "\n")
private let colon = UInt8(ascii: ":")
private let dash = UInt8(ascii: "-")
private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

/// A cursor over the emitter's block form: two-space indents, list items at their key's
/// indent, a map item's first field on the dash's line. Any other shape gives nil.
private struct Reader {
    let bytes: [UInt8]
    var position = 0
    private var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> ManifestValue? {
        guard position < bytes.count, spaces(at: position) == 0 else { return nil }
        if startsItem(at: position) { return items(indent: 0) }
        if key(at: position) != nil { return fields(indent: 0) }
        return inline()
    }

    /// Fields of a map whose lines start at `indent`.
    private mutating func fields(indent: Int) -> ManifestValue? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        var fields: [ManifestField] = []
        while position < bytes.count, spaces(at: position) == indent, !startsItem(at: position + indent) {
            position += indent
            guard let field = field(indent: indent) else { return nil }
            fields.append(field)
        }
        return fields.isEmpty ? nil : Reader.map(fields)
    }

    /// `- ` items whose dashes are at `indent`.
    private mutating func items(indent: Int) -> ManifestValue? {
        guard enter() else { return nil }
        defer { depth -= 1 }
        var items: [ManifestValue] = []
        while position < bytes.count, spaces(at: position) == indent, startsItem(at: position + indent) {
            position += indent + 2
            guard let item = item(indent: indent) else { return nil }
            items.append(item)
        }
        return items.isEmpty ? nil : .list(items)
    }

    /// One item after its `- ` (the dash at `indent`).
    private mutating func item(indent: Int) -> ManifestValue? {
        if startsItem(at: position) {
            // A list in a list: its first item shares the line.
            guard enter() else { return nil }
            defer { depth -= 1 }
            position += 2
            guard let first = item(indent: indent + 2) else { return nil }
            var inner = [first]
            while position < bytes.count, spaces(at: position) == indent + 2, startsItem(at: position + indent + 2) {
                position += indent + 4
                guard let next = item(indent: indent + 2) else { return nil }
                inner.append(next)
            }
            return .list(inner)
        }
        guard key(at: position) != nil else { return inline() }
        // A map in a list: its first field shares the dash's line, the rest align under it.
        guard let first = field(indent: indent + 2) else { return nil }
        var fields = [first]
        if position < bytes.count, spaces(at: position) == indent + 2, !startsItem(at: position + indent + 2) {
            guard case .map(let more)? = self.fields(indent: indent + 2) else { return nil }
            fields += more
        }
        return Reader.map(fields)
    }

    /// The map of `fields`; nil when a key repeats, which the full reader refuses.
    private static func map(_ fields: [ManifestField]) -> ManifestValue? {
        if fields.count > 16 {
            var keys = Set<String>(minimumCapacity: fields.count)
            for field in fields where !keys.insert(field.key).inserted { return nil }
        } else if fields.count > 1 {
            // A manifest's maps are small: each key compared with those before it costs
            // less than a set made for each map (a fifth of reading a file kgate wrote).
            for later in 1..<fields.count {
                for earlier in 0..<later where fields[earlier].key == fields[later].key { return nil }
            }
        }
        return .map(fields)
    }

    /// `key: value`, or `key:` and a nested map or list on the following lines.
    private mutating func field(indent: Int) -> ManifestField? {
        guard let (key, end) = key(at: position) else { return nil }
        position = end
        guard position < bytes.count else { return nil }
        if bytes[position] == space {
            position += 1
            return inline().map { ManifestField(key, $0) }
        }
        guard bytes[position] == newline else { return nil }
        position += 1
        guard position < bytes.count else { return nil }
        let next = spaces(at: position)
        let value: ManifestValue?
        if next == indent, startsItem(at: position + indent) {
            value = items(indent: indent)
        } else if next == indent + 2 {
            value = fields(indent: indent + 2)
        } else {
            value = nil
        }
        return value.map { ManifestField(key, $0) }
    }

    /// A key at `start`, written as the emitter writes keys, and the position just after its
    /// colon; nil when the line holds no such key.
    private func key(at start: Int) -> (String, Int)? {
        if start < bytes.count, bytes[start] == quote {
            guard let (text, end) = quoted(at: start), end < bytes.count, bytes[end] == colon,
                writes(key: text, in: start..<end)
            else { return nil }
            return (text, end + 1)
        }
        var index = start
        while index < bytes.count, bytes[index] != newline {
            if bytes[index] == colon, index + 1 < bytes.count, bytes[index + 1] == space || bytes[index + 1] == newline {
                guard index > start,
                    bytes.withUnsafeBufferPointer({ YAMLEmitter.writesPlainKey(UnsafeBufferPointer(rebasing: $0[start..<index])) })
                else { return nil }
                return (String(decoding: bytes[start..<index], as: UTF8.self), index + 1)
            }
            index += 1
        }
        return nil
    }

    /// Whether the emitter writes `value` as exactly the bytes in `range`.
    private func writes(_ value: ManifestValue, in range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { YAMLEmitter.writesInline(value, as: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Whether the emitter writes `key` as exactly the bytes in `range`, before its colon.
    private func writes(key: String, in range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { YAMLEmitter.writesKey(key, as: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// A scalar, `[]` or `{}` up to and including its line's end, written as the emitter
    /// writes it.
    private mutating func inline() -> ManifestValue? {
        guard let end = bytes[position...].firstIndex(of: newline), end > position else { return nil }
        let value: ManifestValue
        if bytes[position] == quote {
            guard let (text, after) = quoted(at: position), after == end else { return nil }
            value = .string(text)
        } else {
            let text = bytes[position..<end]
            if text.count == 2, text.elementsEqual("[]".utf8) {
                value = .list([])
            } else if text.count == 2, text.elementsEqual("{}".utf8) {
                value = .map([])
            } else {
                value = plainScalar(String(decoding: text, as: UTF8.self))
            }
        }
        // A plain string is written as its own bytes: checked on them, not on the string.
        if case .string = value, bytes[position] != quote {
            guard bytes.withUnsafeBufferPointer({ YAMLScalar.writesPlain(UnsafeBufferPointer(rebasing: $0[position..<end])) })
            else { return nil }
        } else {
            guard writes(value, in: position..<end) else { return nil }
        }
        position = end + 1
        return value
    }

    /// A double-quoted scalar at `start` with the emitter's escapes, and the position
    /// after its closing quote.
    private func quoted(at start: Int) -> (String, Int)? {
        var out: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                // Yams drops a leading U+FEFF of a scalar (RenderingPropertyTests pins it):
                // such text is left to it, so that both readers agree.
                if out.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
                return (String(decoding: out, as: UTF8.self), index + 1)
            }
            if byte < 0x20 { return nil }
            guard byte == backslash else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case quote, backslash: out.append(escape)
            case UInt8(ascii: "n"): out.append(newline)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = escape == UInt8(ascii: "u") ? 4 : 8
                guard index + digits <= bytes.count,
                    let value = UInt32(String(decoding: bytes[index..<index + digits], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
                index += digits
            default: return nil
            }
        }
        return nil
    }

    private func spaces(at start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == space { index += 1 }
        return index - start
    }

    private func startsItem(at index: Int) -> Bool {
        index + 1 < bytes.count && bytes[index] == dash && bytes[index + 1] == space
    }

    /// One level deeper; false past the full reader's limit (it then refuses the text).
    private mutating func enter() -> Bool {
        depth += 1
        return depth <= YAMLDocuments.maximumDepth
    }
}

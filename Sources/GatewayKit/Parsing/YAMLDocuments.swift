import Yams

/// Splits a YAML (or JSON) stream into documents and reads each into a `ManifestValue`.
///
/// Documents are split at `---` lines, as kubectl does, so that a broken document is
/// reported alone and the others still load. Hostile input is bounded: nesting deeper
/// than `maximumDepth`, and aliases that would expand past `maximumNodes`, are refused
/// rather than recursed into.
enum YAMLDocuments {
    static let maximumDepth = 100
    static let maximumNodes = 1_000_000

    struct Document {
        /// From 0, counting every document after the first marker (and a first document
        /// with content before it).
        var index: Int
        /// 1-based line of the document's first line in the whole text.
        var firstLine: Int
        var text: Substring
    }

    /// The documents of `text` that hold anything besides blank lines and comments.
    static func split(_ text: String) -> [Document] {
        // The marker lines' byte offsets, found in the text's contiguous UTF-8: through the
        // UTF-8 view's indices the scan was a twentieth of a cold first frame.
        var text = text
        var markers: [(offset: Int, line: Int)] = []
        text.withUTF8 { bytes in
            var line = 1
            var lineStart = true
            for offset in bytes.indices {
                if lineStart, isMarker(bytes, at: offset) { markers.append((offset, line)) }
                lineStart = bytes[offset] == UInt8(ascii: "\n")
                if lineStart { line += 1 }
            }
        }
        var documents: [Document] = []
        var start = text.startIndex
        var startLine = 1
        var chunkIndex = 0
        func finish(upTo end: String.Index) {
            let chunk = text[start..<end]
            let hasContent = hasContent(chunk)
            if hasContent { documents.append(Document(index: chunkIndex, firstLine: startLine, text: chunk)) }
            // An empty stretch before the first document (comments, a leading `---`) is
            // not a document of its own.
            if hasContent || chunkIndex > 0 { chunkIndex += 1 }
        }
        for marker in markers {
            let index = text.utf8.index(text.startIndex, offsetBy: marker.offset)
            if index != text.startIndex { finish(upTo: index) }
            start = index
            startLine = marker.line
        }
        finish(upTo: text.endIndex)
        return documents
    }

    /// A document marker line at `offset`: `---` alone or followed by a space, tab or
    /// line end.
    private static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset + 3 <= bytes.count, bytes[offset] == UInt8(ascii: "-"), bytes[offset + 1] == UInt8(ascii: "-"),
            bytes[offset + 2] == UInt8(ascii: "-")
        else { return false }
        guard offset + 3 < bytes.count else { return true }
        let next = bytes[offset + 3]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n")
            || next == UInt8(ascii: "\r")
    }

    /// Whether a line other than blanks, comments, directives and markers is in `chunk`.
    /// Lines are cut at each `\n` byte, one at a time: a document's first line usually
    /// answers, and splitting the whole chunk first was 13 % of a cold first frame at
    /// 10,000 routes (kgate-bench `first_frame_10000_cold_ms`). A `\r` before the `\n`
    /// belongs to the line end, so CRLF files read as LF ones.
    private static func hasContent(_ chunk: Substring) -> Bool {
        var rest = chunk
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            var line = rest[rest.startIndex..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.utf8.index(after: end)...]
            if line.utf8.last == UInt8(ascii: "\r") { line = line[..<line.utf8.index(before: line.endIndex)] }
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{FEFF}" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("%") { continue }
            if trimmed == "---" || trimmed.hasPrefix("--- #") || trimmed == "..." { continue }
            return true
        }
        return false
    }

    /// The document's tree, nil when it is empty (`---` alone, or `null`), or the error
    /// that stopped it, addressed by line.
    static func read(_ document: Document) -> Result<ManifestValue?, FieldError> {
        if let value = EmittedYAML.read(document.text) { return .success(value == .null ? nil : value) }
        return readFully(document)
    }

    /// `read` by the full YAML reader alone (Yams), whatever the form of the text.
    static func readFully(_ document: Document) -> Result<ManifestValue?, FieldError> {
        if let refusal = refuseDeepNesting(document) { return .failure(refusal) }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: String(document.text), .basic)
        } catch {
            return .failure(describe(error, firstLine: document.firstLine))
        }
        guard let node else { return .success(nil) }
        var converter = NodeConverter()
        do {
            let value = try converter.value(of: node, depth: 0)
            return .success(value == .null ? nil : value)
        } catch {
            let line = (error.mark?.line ?? 0) + document.firstLine
            return .failure(FieldError(FieldPath("line \(line)"), error.reason))
        }
    }

    /// Refuses flow nesting (`[[[[…`) and indentation deep enough to exhaust the stack
    /// of the YAML composer, before it sees them.
    private static func refuseDeepNesting(_ document: Document) -> FieldError? {
        var depth = 0
        var indent = 0
        var atLineStart = true
        var line = document.firstLine
        for byte in document.text.utf8 {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            case UInt8(ascii: "\n"):
                line += 1
                atLineStart = true
                indent = 0
                continue
            case UInt8(ascii: " ") where atLineStart: indent += 1
            default: break
            }
            if byte != UInt8(ascii: " ") { atLineStart = false }
            if depth > maximumDepth * 2 || indent > maximumDepth * 20 {
                return FieldError(FieldPath("line \(line)"), "nested deeper than kgate reads")
            }
        }
        return nil
    }

    private static func describe(_ error: any Error, firstLine: Int) -> FieldError {
        let problem: String
        let mark: Mark?
        switch error as? YamlError {
        case .scanner(_, let text, let at, _), .parser(_, let text, let at, _), .composer(_, let text, let at, _):
            problem = text
            mark = at
        case .duplicatedKeysInMapping(let duplicates, let context):
            problem = "duplicate key " + duplicates.map(jsonQuoted).joined(separator: ", ")
            mark = context.mark
        case .reader(let text, _, _, _):
            problem = text
            mark = nil
        default:
            problem = "not YAML or JSON"
            mark = nil
        }
        let place = mark.map { "line \($0.line + firstLine - 1), column \($0.column)" } ?? "line \(firstLine)"
        return FieldError(FieldPath(place), problem)
    }
}

/// Converts a composed YAML node to a `ManifestValue`, reading plain scalars as the YAML
/// 1.1 core schema that Kubernetes' YAML reader uses does (so `yes` is a boolean there
/// too), and quoted ones as strings.
private struct NodeConverter {
    struct Failure: Error {
        var reason: String
        var mark: Mark?
    }

    private var visited = 0

    mutating func value(of node: Yams.Node, depth: Int) throws(Failure) -> ManifestValue {
        visited += 1
        guard visited <= YAMLDocuments.maximumNodes else {
            throw Failure(reason: "expands to more than \(YAMLDocuments.maximumNodes) values (aliases?)", mark: node.mark)
        }
        guard depth <= YAMLDocuments.maximumDepth else {
            throw Failure(reason: "nested deeper than kgate reads", mark: node.mark)
        }
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? plainScalar(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            var items: [ManifestValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try value(of: item, depth: depth + 1)) }
            return .list(items)
        case .mapping(let mapping):
            var fields: [ManifestField] = []
            fields.reserveCapacity(mapping.count)
            for (key, item) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(reason: "a key must be a string, not a list or a map", mark: key.mark)
                }
                fields.append(ManifestField(keyScalar.string, try value(of: item, depth: depth + 1)))
            }
            return .map(fields)
        case .alias:
            throw Failure(reason: "unresolved alias", mark: node.mark)
        }
    }
}

/// Whether a word `plainScalar` reads as null or a boolean can start with `byte`.
private func startsWord(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "y"),
        UInt8(ascii: "Y"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "f"), UInt8(ascii: "F"):
        true
    default: false
    }
}

/// A plain scalar's value: null, a boolean, a decimal or hexadecimal integer, else its
/// text (floats and timestamps included: no field kgate reads is one).
func plainScalar(_ text: String) -> ManifestValue {
    // Every word below is at most five bytes and starts with one of a few letters: other
    // text (most scalars) skips the 27 comparisons, which were a sixth of reading a file
    // kgate wrote.
    if text.utf8.count <= 5, text.utf8.first.map(startsWord) ?? true {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF": return .bool(false)
        default: break
        }
    }
    guard let first = text.utf8.first,
        first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (first >= 0x30 && first <= 0x39)
    else { return .string(text) }
    // `012` is octal in YAML 1.1 and decimal in 1.2: neither is guessed, it stays text
    // (and a number field then says "must be an integer").
    let digits = text.utf8.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
    if digits.count > 1 && digits.first == UInt8(ascii: "0") && !text.hasPrefix("0x") { return .string(text) }
    if let number = Int(text) { return .int(number) }
    if text.hasPrefix("0x"), let number = Int(text.dropFirst(2), radix: 16) { return .int(number) }
    return .string(text)
}

/// kgate's rule for every string of every object: no `\r` or `\n` (a line break in a
/// field is how a header, a YAML key or an nginx directive gets injected), and no other
/// control character (an escape sequence in a name would repaint the operator's terminal).
/// Tabs are refused too: no field kgate writes needs one.
///
/// Free text (aliases, descriptions, annotation values) may hold any other character,
/// CJK and emoji included.
enum TextRules {
    static let lineBreakReason = "must not contain a line break ('\\r' or '\\n')"

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi
    /// embeddings, overrides and isolates that make a terminal show text reordered
    /// ("Trojan Source").
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
    }

    /// Whether `value` is a single line of text: `singleLine(value)` is empty.
    static func isSingleLine(_ value: String) -> Bool { singleLine(value).isEmpty }

    /// The reasons `value` is refused as a single line of text.
    static func singleLine(_ value: String) -> [String] {
        // Printable ASCII, as nearly every value is: nothing to look for scalar by scalar.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return [] }
        var lineBreak = false
        var control: Unicode.Scalar?
        for scalar in value.unicodeScalars {
            if scalar == "\n" || scalar == "\r" {
                lineBreak = true
            } else if control == nil && isControl(scalar) {
                control = scalar
            }
        }
        var reasons: [String] = []
        if lineBreak { reasons.append(lineBreakReason) }
        if let control { reasons.append("must not contain control characters (\(escape(control)))") }
        return reasons
    }

    /// `\n`, `\t`, `\u{1B}`: how a reason names an invisible character.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        case "\"": "\\\""
        case "\\": "\\\\"
        default: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }

    /// Adds a single-line error for every field that holds a line break or a control
    /// character and has no error yet: a field whose own rule refused it already says so.
    static func check(_ fields: TextFields, into errors: inout [FieldError]) {
        guard !fields.broken.isEmpty else { return }
        var refused = Set(errors.map(\.field))
        for (field, value) in fields.broken where !refused.contains(field) {
            errors += singleLine(value).map { FieldError(field, $0) }
            refused.insert(field)
        }
    }
}

/// The strings of an object that break `TextRules`, each with its field, in the order they
/// were added: what `TextRules.check` reports. A field's path is made only for a string
/// that breaks the rules, and nearly none do: making a path for every string was half of a
/// route's validation (kgate-bench `nginx_render_10000_ms`, first frames).
struct TextFields {
    private(set) var broken: [(FieldPath, String)] = []

    mutating func add(_ field: @autoclosure () -> FieldPath, _ value: String) {
        if !TextRules.isSingleLine(value) { broken.append((field(), value)) }
    }

    /// A map's keys and values (labels, annotations, config), each at `field[key]`, by key.
    mutating func add(_ map: [String: String], at field: @autoclosure () -> FieldPath) {
        guard map.contains(where: { !TextRules.isSingleLine($0.key) || !TextRules.isSingleLine($0.value) }) else { return }
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            add(field().key(key), key)
            add(field().key(key), value)
        }
    }
}

extension Validate {
    /// A single line of free text: no line break, no control character.
    public static func singleLine(_ value: String) -> [String] { TextRules.singleLine(value) }
}

extension [FieldError] {
    /// Appends one error per reason, all at `field`: the path is made only when there is
    /// a reason (see `TextFields`).
    mutating func append(_ reasons: [String], at field: @autoclosure () -> FieldPath) {
        guard !reasons.isEmpty else { return }
        let field = field()
        append(contentsOf: reasons.map { FieldError(field, $0) })
    }
}

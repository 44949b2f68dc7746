/// Reads a manifest tree the way the API server reads a CRD's structural schema: unknown
/// fields refused, types checked, lengths and ranges bounded. Every refusal is collected
/// with its field path, so one pass reports all of them.
struct SchemaReader {
    private(set) var errors: [FieldError] = []

    mutating func refuse(_ field: FieldPath, _ reason: String) { errors.append(FieldError(field, reason)) }

    /// The fields of an object, refusing a value that is no object, keys not in `allowed`,
    /// and missing `required` ones. Nil when the value is no object.
    mutating func object(
        _ value: ManifestValue?, at field: FieldPath, allowed: [String], required: [String] = []
    ) -> [String: ManifestValue]? {
        guard let value else {
            refuse(field, "Required value")
            return nil
        }
        guard case .map(let fields) = value else {
            refuse(field, "must be an object")
            return nil
        }
        var result: [String: ManifestValue] = [:]
        for entry in fields {
            if allowed.contains(entry.key) {
                result[entry.key] = entry.value
            } else {
                refuse(field.child(entry.key), "field not declared in schema")
            }
        }
        for key in required where result[key] == nil { refuse(field.child(key), "Required value") }
        return result
    }

    /// The items of a list of at most `maxItems` (and at least `minItems`).
    @discardableResult
    mutating func list(_ value: ManifestValue?, at field: FieldPath, minItems: Int = 0, maxItems: Int) -> [ManifestValue] {
        guard let value else { return [] }
        guard case .list(let items) = value else {
            refuse(field, "must be a list")
            return []
        }
        if items.count > maxItems { refuse(field, "Too many: \(items.count): must have at most \(maxItems) items") }
        if items.count < minItems { refuse(field, "must have at least \(minItems) item\(minItems == 1 ? "" : "s")") }
        return items
    }

    /// A string of `minLength...maxLength` bytes, checked further by `rule` (a reason when refused).
    @discardableResult
    mutating func string(
        _ value: ManifestValue?, at field: FieldPath, minLength: Int = 0, maxLength: Int, rule: ((String) -> String?)? = nil
    ) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            refuse(field, "must be a string")
            return nil
        }
        if text.utf8.count > maxLength {
            refuse(field, "Too long: may not be more than \(maxLength) bytes")
        } else if text.utf8.count < minLength {
            refuse(field, "should be at least \(minLength) chars long")
        } else if let reason = rule?(text) {
            refuse(field, reason)
        }
        return text
    }

    /// A string that is one of `values`.
    @discardableResult
    mutating func oneOf(_ value: ManifestValue?, at field: FieldPath, _ values: [String]) -> String? {
        string(value, at: field, maxLength: 253) { text in
            values.contains(text) ? nil : "Unsupported value: \"\(TerminalText.escaped(text))\": supported values: "
                + values.map { "\"\($0)\"" }.joined(separator: ", ")
        }
    }

    /// An integer in `range`.
    @discardableResult
    mutating func integer(_ value: ManifestValue?, at field: FieldPath, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard case .int(let number) = value else {
            refuse(field, "must be an integer")
            return nil
        }
        if !range.contains(number) { refuse(field, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return number
    }

    /// A map of strings (labels, annotations, matchLabels).
    mutating func stringMap(_ value: ManifestValue?, at field: FieldPath) {
        guard let value else { return }
        guard case .map(let fields) = value else {
            refuse(field, "must be an object")
            return
        }
        for entry in fields where entry.value.stringValue == nil { refuse(field.key(entry.key), "must be a string") }
    }
}

extension SchemaReader {
    /// Refuses a second item with the same key in a list the API keys by it (a list-map, or
    /// a set when the key is the item itself); keys compare exactly, as the API server does.
    mutating func refuseDuplicates(_ keys: [String?], at field: FieldPath, child: String?) {
        var seen = Set<String>()
        for (index, key) in keys.enumerated() {
            guard let key else { continue }
            if !seen.insert(key).inserted {
                let at = child.map { field.index(index).child($0) } ?? field.index(index)
                refuse(at, "Duplicate value: \"\(TerminalText.escaped(key))\"")
            }
        }
    }
}

extension ManifestValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// The formats of the API's names and hostnames, with its wording.
enum GatewayAPIFormat {
    /// `SectionName` and most object references' names.
    static func sectionName(_ text: String) -> String? {
        ValidationBytes.isDNS1123Subdomain(text.utf8) ? nil
            : "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
    }

    /// A listener's or a route's hostname: a DNS name, optionally with one `*.` label first.
    /// (The API's prose says IP addresses are no hostnames; its schema, which this follows,
    /// lets `1.2.3.4` pass.)
    static func hostname(_ text: String) -> String? {
        let name = text.hasPrefix("*.") ? String(text.dropFirst(2)) : text
        return ValidationBytes.isDNS1123Subdomain(name.utf8) ? nil
            : "should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
    }

    /// A redirect's or a rewrite's hostname: a DNS name, no wildcard.
    static func preciseHostname(_ text: String) -> String? {
        ValidationBytes.isDNS1123Subdomain(text.utf8) ? nil
            : "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
    }

    /// A group: empty (the core group) or a DNS subdomain.
    static func group(_ text: String) -> String? {
        text.isEmpty || ValidationBytes.isDNS1123Subdomain(text.utf8) ? nil
            : "should match '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
    }

    /// A kind: a letter, then letters, digits, `-` and `_`.
    static func kind(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, ValidationBytes.isLowerLetter(first) || ValidationBytes.isUpperLetter(first),
            bytes.allSatisfy({ ValidationBytes.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
            let last = bytes.last, ValidationBytes.isAlphanumeric(last)
        else { return "should match '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'" }
        return nil
    }
}

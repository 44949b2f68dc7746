/// An HTTPRoute match: its path (with the CEL rules on its value), headers, query
/// parameters and method.
enum HTTPMatchRules {
    static let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// Checks one match; returns its path type (`PathPrefix` when the path is left out, the
    /// API's default).
    static func match(_ value: ManifestValue, at field: FieldPath, _ reader: inout SchemaReader) -> String? {
        guard let match = reader.object(value, at: field, allowed: ["path", "headers", "queryParams", "method"]) else { return nil }
        var type: String? = "PathPrefix"
        if let pathValue = match["path"], let path = reader.object(pathValue, at: field.child("path"), allowed: ["type", "value"]) {
            type = reader.oneOf(path["type"], at: field.child("path").child("type"), ["Exact", "PathPrefix", "RegularExpression"]) ?? "PathPrefix"
            let checked = type == "Exact" || type == "PathPrefix"
            reader.string(path["value"] ?? .string("/"), at: field.child("path").child("value"), maxLength: 1024) { text in
                checked ? pathReason(text) : nil
            }
        }
        for (name, key) in [("headers", "name"), ("queryParams", "name")] {
            var names: [String?] = []
            for (index, item) in reader.list(match[name], at: field.child(name), maxItems: 16).enumerated() {
                let at = field.child(name).index(index)
                guard let entry = reader.object(item, at: at, allowed: ["type", "name", "value"], required: [key, "value"]) else { continue }
                reader.oneOf(entry["type"], at: at.child("type"), ["Exact", "RegularExpression"])
                names.append(reader.string(entry["name"], at: at.child("name"), minLength: 1, maxLength: 256, rule: headerNameReason))
                reader.string(entry["value"], at: at.child("value"), minLength: 1, maxLength: 4096)
            }
            reader.refuseDuplicates(names, at: field.child(name), child: "name")
        }
        reader.oneOf(match["method"], at: field.child("method"), methods)
        return type
    }

    /// The CEL rules of an Exact or PathPrefix value, in the API's words; nil when accepted.
    static func pathReason(_ text: String) -> String? {
        let scope = "when type one of ['Exact', 'PathPrefix']"
        if !text.hasPrefix("/") { return "value must be an absolute path and start with '/' \(scope)" }
        for part in ["//", "/./", "/../", "%2f", "%2F", "#"] where text.contains(part) {
            return "must not contain '\(part)' \(scope)"
        }
        for end in ["/..", "/."] where text.hasSuffix(end) { return "must not end with '\(end)' \(scope)" }
        if !isPathText(text) {
            return "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"
        }
        return nil
    }

    /// `^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`
    private static func isPathText(_ text: String) -> Bool {
        let allowed = Set("-/._~!$&'()*+,;=:@".utf8)
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, ValidationBytes.isHexDigit(bytes[index + 1]), ValidationBytes.isHexDigit(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard ValidationBytes.isAlphanumeric(byte) || allowed.contains(byte) else { return false }
            index += 1
        }
        return !bytes.isEmpty
    }

    /// An HTTP header name: `^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$`.
    static func headerNameReason(_ text: String) -> String? {
        let allowed = Set("!#$%&'*+-.^_`|~".utf8)
        return text.utf8.allSatisfy({ ValidationBytes.isAlphanumeric($0) || allowed.contains($0) }) ? nil
            : "should match '^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$'"
    }
}

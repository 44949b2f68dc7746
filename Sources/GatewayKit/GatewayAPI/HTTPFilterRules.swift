/// HTTPRoute filters: each type with its one body, the bodies' own rules, and which types
/// a list may repeat.
enum HTTPFilterRules {
    /// What the rule-level CEL rules need to know of a list of filters.
    struct Summary {
        var hasRedirect = false
        var hasRewrite = false
        /// A redirect or rewrite replaces the matched prefix.
        var replacesPrefix = false
    }

    /// The body key of each filter type.
    static let bodies = [
        "RequestHeaderModifier": "requestHeaderModifier", "ResponseHeaderModifier": "responseHeaderModifier",
        "RequestMirror": "requestMirror", "RequestRedirect": "requestRedirect", "URLRewrite": "urlRewrite",
        "ExtensionRef": "extensionRef", "CORS": "cors",
    ]

    static func filters(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) -> Summary {
        var summary = Summary()
        var types: [String] = []
        for (index, item) in reader.list(value, at: field, maxItems: 16).enumerated() {
            let at = field.index(index)
            guard let filter = reader.object(item, at: at, allowed: ["type"] + bodies.values.sorted(), required: ["type"]) else { continue }
            guard let type = reader.oneOf(filter["type"], at: at.child("type"), HTTPRouteRules.filterTypes) else { continue }
            for (otherType, body) in bodies.sorted(by: { $0.key < $1.key }) {
                if otherType == type && filter[body] == nil {
                    reader.refuse(at, "filter.\(body) must be specified for \(type) filter.type")
                } else if otherType != type && filter[body] != nil {
                    reader.refuse(at, "filter.\(body) must be nil if the filter.type is not \(otherType)")
                }
            }
            if HTTPRouteRules.unrepeatable.contains(type) && types.contains(type) {
                reader.refuse(field, "\(type) filter cannot be repeated")
            }
            types.append(type)
            switch type {
            case "RequestRedirect":
                summary.hasRedirect = true
                if redirect(filter["requestRedirect"], at: at.child("requestRedirect"), &reader) { summary.replacesPrefix = true }
            case "URLRewrite":
                summary.hasRewrite = true
                if rewrite(filter["urlRewrite"], at: at.child("urlRewrite"), &reader) { summary.replacesPrefix = true }
            case "RequestHeaderModifier", "ResponseHeaderModifier":
                let key = type == "RequestHeaderModifier" ? "requestHeaderModifier" : "responseHeaderModifier"
                headerModifier(filter[key], at: at.child(key), &reader)
            default: break
            }
        }
        if summary.hasRedirect && summary.hasRewrite {
            reader.refuse(field, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both")
        }
        return summary
    }

    /// Returns whether the redirect replaces the matched prefix.
    private static func redirect(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) -> Bool {
        guard let value, let body = reader.object(value, at: field, allowed: ["scheme", "hostname", "path", "port", "statusCode"]) else { return false }
        reader.oneOf(body["scheme"], at: field.child("scheme"), ["http", "https"])
        reader.string(body["hostname"], at: field.child("hostname"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.preciseHostname)
        reader.integer(body["port"], at: field.child("port"), in: 1...65535)
        if let code = reader.integer(body["statusCode"], at: field.child("statusCode"), in: 0...999), !APIRedirect.statusCodes.contains(code) {
            reader.refuse(field.child("statusCode"), "Unsupported value: \(code): supported values: \"301\", \"302\", \"303\", \"307\", \"308\"")
        }
        return pathModifier(body["path"], at: field.child("path"), &reader)
    }

    private static func rewrite(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) -> Bool {
        guard let value, let body = reader.object(value, at: field, allowed: ["hostname", "path"]) else { return false }
        reader.string(body["hostname"], at: field.child("hostname"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.preciseHostname)
        return pathModifier(body["path"], at: field.child("path"), &reader)
    }

    /// `ReplaceFullPath` or `ReplacePrefixMatch`, each with its value and only its value.
    /// Returns whether it replaces the prefix.
    private static func pathModifier(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) -> Bool {
        guard let value, let path = reader.object(value, at: field, allowed: ["type", "replaceFullPath", "replacePrefixMatch"], required: ["type"]) else { return false }
        let type = reader.oneOf(path["type"], at: field.child("type"), ["ReplaceFullPath", "ReplacePrefixMatch"])
        for (key, owner) in [("replaceFullPath", "ReplaceFullPath"), ("replacePrefixMatch", "ReplacePrefixMatch")] {
            reader.string(path[key], at: field.child(key), maxLength: 1024)
            if type == owner && path[key] == nil { reader.refuse(field, "\(key) must be specified when type is set to '\(owner)'") }
            if type != owner && path[key] != nil { reader.refuse(field, "type must be '\(owner)' when \(key) is set") }
        }
        return type == "ReplacePrefixMatch" && path["replacePrefixMatch"] != nil
    }

    private static func headerModifier(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) {
        guard let value, let body = reader.object(value, at: field, allowed: ["set", "add", "remove"]) else { return }
        for key in ["set", "add"] {
            var names: [String?] = []
            for (index, item) in reader.list(body[key], at: field.child(key), maxItems: 16).enumerated() {
                let at = field.child(key).index(index)
                guard let header = reader.object(item, at: at, allowed: ["name", "value"], required: ["name", "value"]) else { continue }
                names.append(reader.string(header["name"], at: at.child("name"), minLength: 1, maxLength: 256, rule: HTTPMatchRules.headerNameReason))
                reader.string(header["value"], at: at.child("value"), minLength: 1, maxLength: 4096)
            }
            reader.refuseDuplicates(names, at: field.child(key), child: "name")
        }
        let removed = reader.list(body["remove"], at: field.child("remove"), maxItems: 16).enumerated().map { index, item in
            reader.string(item, at: field.child("remove").index(index), minLength: 1, maxLength: 256)
        }
        reader.refuseDuplicates(removed, at: field.child("remove"), child: nil)
    }
}

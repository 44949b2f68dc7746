/// An HTTPRoute's schema and CEL rules.
enum HTTPRouteRules {
    static let maxRules = GatewayAPI.maxRulesPerRoute
    static let maxMatchesPerRoute = 128
    static let filterTypes = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS"]
    /// Filter types a rule may hold once at most.
    static let unrepeatable = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite", "CORS"]

    static func spec(_ value: ManifestValue?, _ reader: inout SchemaReader) {
        let field = FieldPath("spec")
        guard let spec = reader.object(value, at: field, allowed: ["parentRefs", "hostnames", "rules"]) else { return }
        parentRefs(spec["parentRefs"], at: field.child("parentRefs"), &reader)
        for (index, item) in reader.list(spec["hostnames"], at: field.child("hostnames"), maxItems: 16).enumerated() {
            reader.string(item, at: field.child("hostnames").index(index), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.hostname)
        }
        let rulesField = field.child("rules")
        let rules = reader.list(spec["rules"], at: rulesField, minItems: spec["rules"] == nil ? 0 : 1, maxItems: maxRules)
        var matchCount = 0
        for (index, item) in rules.enumerated() {
            matchCount += rule(item, at: rulesField.index(index), &reader)
        }
        if matchCount > maxMatchesPerRoute {
            reader.refuse(rulesField, "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128")
        }
    }

    private static func parentRefs(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) {
        var seen: [(parent: String, section: String?)] = []
        for (index, item) in reader.list(value, at: field, maxItems: 32).enumerated() {
            let at = field.index(index)
            let allowed = ["group", "kind", "namespace", "name", "sectionName", "port"]
            guard let ref = reader.object(item, at: at, allowed: allowed, required: ["name"]) else { continue }
            let group = reader.string(ref["group"], at: at.child("group"), maxLength: 253, rule: GatewayAPIFormat.group) ?? GatewayAPI.group
            let kind = reader.string(ref["kind"], at: at.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind) ?? "Gateway"
            let namespace = reader.string(ref["namespace"], at: at.child("namespace"), minLength: 1, maxLength: 63) {
                ValidationBytes.isDNS1123Label($0.utf8) ? nil : "must be a DNS-1123 label"
            } ?? ""
            let name = reader.string(ref["name"], at: at.child("name"), minLength: 1, maxLength: 253) ?? ""
            let section = reader.string(ref["sectionName"], at: at.child("sectionName"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.sectionName)
            reader.integer(ref["port"], at: at.child("port"), in: 1...65535)
            let parent = [group, kind, namespace, name].joined(separator: "/")
            let same = seen.filter { $0.parent == parent }
            if !same.isEmpty {
                if section == nil || same.contains(where: { $0.section == nil }) {
                    reader.refuse(field, "sectionName must be specified when parentRefs includes 2 or more references to the same parent")
                } else if same.contains(where: { $0.section == section }) {
                    reader.refuse(field, "sectionName must be unique when parentRefs includes 2 or more references to the same parent")
                }
            }
            seen.append((parent, section))
        }
    }

    /// Checks one rule; returns its number of matches (an absent list is the default one).
    private static func rule(_ value: ManifestValue, at field: FieldPath, _ reader: inout SchemaReader) -> Int {
        let allowed = ["name", "matches", "filters", "backendRefs", "timeouts"]
        guard let rule = reader.object(value, at: field, allowed: allowed) else { return 0 }
        reader.string(rule["name"], at: field.child("name"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.sectionName)
        let matches = reader.list(rule["matches"], at: field.child("matches"), maxItems: 64)
        var matchTypes: [String?] = []
        for (index, item) in matches.enumerated() {
            matchTypes.append(HTTPMatchRules.match(item, at: field.child("matches").index(index), &reader))
        }
        if rule["matches"] == nil { matchTypes = ["PathPrefix"] }
        let filters = HTTPFilterRules.filters(rule["filters"], at: field.child("filters"), &reader)
        let backends = reader.list(rule["backendRefs"], at: field.child("backendRefs"), maxItems: 16)
        for (index, item) in backends.enumerated() {
            backendRef(item, at: field.child("backendRefs").index(index), &reader)
        }
        if !backends.isEmpty && filters.hasRedirect {
            reader.refuse(field, "RequestRedirect filter must not be used together with backendRefs")
        }
        if filters.replacesPrefix && (matchTypes.count != 1 || matchTypes.first != "PathPrefix") {
            let filter = filters.hasRedirect ? "RequestRedirect" : "URLRewrite"
            reader.refuse(field, "When using \(filter) filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")
        }
        return max(matchTypes.count, 1)
    }

    private static func backendRef(_ value: ManifestValue, at field: FieldPath, _ reader: inout SchemaReader) {
        let allowed = ["group", "kind", "name", "namespace", "port", "weight", "filters"]
        guard let ref = reader.object(value, at: field, allowed: allowed, required: ["name"]) else { return }
        let group = reader.string(ref["group"], at: field.child("group"), maxLength: 253, rule: GatewayAPIFormat.group) ?? ""
        let kind = reader.string(ref["kind"], at: field.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind) ?? "Service"
        reader.string(ref["name"], at: field.child("name"), minLength: 1, maxLength: 253)
        reader.string(ref["namespace"], at: field.child("namespace"), minLength: 1, maxLength: 63) {
            ValidationBytes.isDNS1123Label($0.utf8) ? nil : "must be a DNS-1123 label"
        }
        reader.integer(ref["port"], at: field.child("port"), in: 1...65535)
        reader.integer(ref["weight"], at: field.child("weight"), in: 0...1_000_000)
        _ = HTTPFilterRules.filters(ref["filters"], at: field.child("filters"), &reader)
        if group.isEmpty && kind == "Service" && ref["port"] == nil {
            reader.refuse(field, "Must have port for Service reference")
        }
    }
}

/// Gateway API v1 standard-channel objects checked by the API's own rules, as a cluster
/// with the CRDs installed would check them: the structural schema (unknown fields
/// refused, types, lengths, ranges, enums) and the CEL rules, written from the
/// specification. It judges manifest trees, so it checks kgate's renders and objects a
/// person wrote alike.
///
///     GatewayAPIValidator.errors(GatewayAPIRenderer.manifest(route))   // []
///
/// Fields the standard channel declares but kgate does not model (a Gateway's
/// `infrastructure`, `tls`; a rule's `timeouts`; …) are accepted as declared and not
/// looked into; a Gateway's `addresses` are checked.
public enum GatewayAPIValidator {
    /// Every refusal of one object, each with its field path; empty when it is accepted.
    public static func errors(_ object: ManifestValue) -> [FieldError] {
        var reader = SchemaReader()
        let kind = object["kind"]?.stringValue ?? ""
        let versions = kind == "ReferenceGrant"
            ? [GatewayAPI.referenceGrantAPIVersion, GatewayAPI.apiVersion] : [GatewayAPI.apiVersion, GatewayAPI.group + "/v1beta1"]
        guard let fields = reader.object(object, at: "", allowed: ["apiVersion", "kind", "metadata", "spec", "status"], required: ["apiVersion", "kind", "metadata", "spec"]) else {
            return reader.errors
        }
        reader.oneOf(fields["apiVersion"], at: "apiVersion", versions)
        reader.oneOf(fields["kind"], at: "kind", ["Gateway", "HTTPRoute", "ReferenceGrant"])
        metadata(fields["metadata"], &reader)
        switch kind {
        case "Gateway": gatewaySpec(fields["spec"], &reader)
        case "HTTPRoute": HTTPRouteRules.spec(fields["spec"], &reader)
        case "ReferenceGrant": referenceGrantSpec(fields["spec"], &reader)
        default: break
        }
        return reader.errors
    }

    /// Every refusal of a set's objects, each line naming the object.
    public static func errors(_ set: GatewayAPISet) -> [String] {
        GatewayAPIRenderer.manifests(set).flatMap { object in
            let name = "\(object["kind"]?.stringValue ?? "") \(object["metadata"]?["name"]?.stringValue ?? "")"
            return errors(object).map { "\(name): \($0)" }
        }
    }

    private static func metadata(_ value: ManifestValue?, _ reader: inout SchemaReader) {
        let field = FieldPath("metadata")
        // Every field of ObjectMeta: the API server reads metadata by its own schema.
        let allowed = [
            "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
            "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
            "managedFields",
        ]
        guard let meta = reader.object(value, at: field, allowed: allowed, required: ["name"]) else { return }
        reader.string(meta["name"], at: field.child("name"), minLength: 1, maxLength: Validate.dns1123SubdomainMaxLength, rule: GatewayAPIFormat.sectionName)
        reader.string(meta["namespace"], at: field.child("namespace"), minLength: 1, maxLength: Validate.dns1123LabelMaxLength) {
            ValidationBytes.isDNS1123Label($0.utf8) ? nil : "must be a DNS-1123 label"
        }
        reader.stringMap(meta["labels"], at: field.child("labels"))
        reader.stringMap(meta["annotations"], at: field.child("annotations"))
    }

    private static func gatewaySpec(_ value: ManifestValue?, _ reader: inout SchemaReader) {
        let field = FieldPath("spec")
        let allowed = ["gatewayClassName", "listeners", "addresses", "infrastructure", "tls", "allowedListeners"]
        guard let spec = reader.object(value, at: field, allowed: allowed, required: ["gatewayClassName", "listeners"]) else { return }
        reader.string(spec["gatewayClassName"], at: field.child("gatewayClassName"), minLength: 1, maxLength: 253)
        let listenersField = field.child("listeners")
        let listeners = reader.list(spec["listeners"], at: listenersField, minItems: 1, maxItems: 64)
        var seen: [ListenerRules.Identity] = []
        for (index, item) in listeners.enumerated() {
            guard let identity = ListenerRules.listener(item, at: listenersField.index(index), &reader) else { continue }
            if seen.contains(where: { $0.name == identity.name }) {
                reader.refuse(listenersField.index(index).child("name"), "Listener name must be unique within the Gateway")
            }
            if seen.contains(where: { $0.port == identity.port && $0.protocol == identity.protocol && $0.hostname == identity.hostname }) {
                reader.refuse(listenersField.index(index), "Combination of port, protocol and hostname must be unique for each listener")
            }
            seen.append(identity)
        }
        addresses(spec["addresses"], at: field.child("addresses"), &reader)
    }

    /// `spec.addresses` (GatewaySpecAddress): a type (default `IPAddress`) of the schema's
    /// pattern, an IP address when the type is `IPAddress` (the schema's `oneOf` with
    /// formats ipv4/ipv6), a hostname when it is `Hostname` (the CEL rule), and the CEL
    /// rules that IP addresses and hostnames are each unique.
    private static func addresses(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) {
        var ips: Set<String> = []
        var hostnames: Set<String> = []
        for (index, item) in reader.list(value, at: field, maxItems: 16).enumerated() {
            let at = field.index(index)
            guard let address = reader.object(item, at: at, allowed: ["type", "value"], required: []) else { continue }
            let type = reader.string(address["type"], at: at.child("type"), minLength: 1, maxLength: 253, rule: addressType) ?? "IPAddress"
            guard let text = reader.string(address["value"], at: at.child("value"), minLength: 1, maxLength: 253) else { continue }
            switch type {
            case "IPAddress":
                if IPAddress(text) == nil {
                    reader.refuse(at.child("value"), "must be an IPv4 or IPv6 address when type is IPAddress")
                } else if !ips.insert(text).inserted {
                    reader.refuse(field, "IPAddress values must be unique")
                }
            case "Hostname":
                if let reason = GatewayAPIFormat.hostname(text) {
                    reader.refuse(at.child("value"), "Hostname value must be empty or contain only valid characters: " + reason)
                } else if !hostnames.insert(text).inserted {
                    reader.refuse(field, "Hostname values must be unique")
                }
            default: break
            }
        }
    }

    /// `Hostname`, `IPAddress`, `NamedAddress`, or a domain-prefixed name (`example.com/custom`).
    private static func addressType(_ text: String) -> String? {
        if ["Hostname", "IPAddress", "NamedAddress"].contains(text) { return nil }
        let reason = "should match '^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$'"
        guard let slash = text.firstIndex(of: "/") else { return reason }
        let domain = text[..<slash]
        let path = text[text.index(after: slash)...]
        let pathBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-._~%!$&'()*+,;=:".utf8)
        guard ValidationBytes.isDNS1123Subdomain(domain.utf8), !path.isEmpty, path.utf8.allSatisfy(pathBytes.contains) else {
            return reason
        }
        return nil
    }

    private static func referenceGrantSpec(_ value: ManifestValue?, _ reader: inout SchemaReader) {
        let field = FieldPath("spec")
        guard let spec = reader.object(value, at: field, allowed: ["from", "to"], required: ["from", "to"]) else { return }
        for (index, item) in reader.list(spec["from"], at: field.child("from"), minItems: 1, maxItems: 16).enumerated() {
            let at = field.child("from").index(index)
            guard let from = reader.object(item, at: at, allowed: ["group", "kind", "namespace"], required: ["group", "kind", "namespace"]) else { continue }
            reader.string(from["group"], at: at.child("group"), maxLength: 253, rule: GatewayAPIFormat.group)
            reader.string(from["kind"], at: at.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind)
            reader.string(from["namespace"], at: at.child("namespace"), minLength: 1, maxLength: 63) {
                ValidationBytes.isDNS1123Label($0.utf8) ? nil : "must be a DNS-1123 label"
            }
        }
        for (index, item) in reader.list(spec["to"], at: field.child("to"), minItems: 1, maxItems: 16).enumerated() {
            let at = field.child("to").index(index)
            guard let to = reader.object(item, at: at, allowed: ["group", "kind", "name"], required: ["group", "kind"]) else { continue }
            reader.string(to["group"], at: at.child("group"), maxLength: 253, rule: GatewayAPIFormat.group)
            reader.string(to["kind"], at: at.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind)
            reader.string(to["name"], at: at.child("name"), minLength: 1, maxLength: 253)
        }
    }
}

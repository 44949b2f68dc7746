/// A Gateway listener's schema and CEL rules.
enum ListenerRules {
    /// What makes a listener distinct within its Gateway.
    struct Identity {
        var name: String
        var port: Int
        var `protocol`: String
        var hostname: String?
    }


    static func listener(_ value: ManifestValue, at field: FieldPath, _ reader: inout SchemaReader) -> Identity? {
        let allowed = ["name", "hostname", "port", "protocol", "tls", "allowedRoutes"]
        guard let listener = reader.object(value, at: field, allowed: allowed, required: ["name", "port", "protocol"]) else { return nil }
        let name = reader.string(listener["name"], at: field.child("name"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.sectionName)
        let hostname = reader.string(listener["hostname"], at: field.child("hostname"), minLength: 1, maxLength: 253, rule: GatewayAPIFormat.hostname)
        let port = reader.integer(listener["port"], at: field.child("port"), in: 1...65535)
        let proto = reader.string(listener["protocol"], at: field.child("protocol"), minLength: 1, maxLength: 255) { text in
            isToken(text) || isDomainPrefixed(text) ? nil
                : "should match '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$'"
        }
        if let proto, ["TCP", "UDP"].contains(proto), let hostname, !hostname.isEmpty {
            reader.refuse(field.child("hostname"), "hostname must not be specified for protocols ['TCP', 'UDP']")
        }
        tls(listener["tls"], protocol: proto, at: field.child("tls"), &reader)
        allowedRoutes(listener["allowedRoutes"], at: field.child("allowedRoutes"), &reader)
        guard let name, let port, let proto else { return nil }
        return Identity(name: name, port: port, protocol: proto, hostname: hostname)
    }

    /// `tls`: absent for HTTP, TCP and UDP; mode Terminate for HTTPS; a mode for TLS;
    /// Terminate needs certificates or options. An absent mode is defaulted to Terminate
    /// before the rules run, as the API server does.
    private static func tls(_ value: ManifestValue?, protocol proto: String?, at field: FieldPath, _ reader: inout SchemaReader) {
        guard let value else {
            if proto == "TLS" { reader.refuse(field, "tls mode must be set for protocol TLS") }
            return
        }
        if let proto, ["HTTP", "TCP", "UDP"].contains(proto) {
            reader.refuse(field, "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")
        }
        guard let tls = reader.object(value, at: field, allowed: ["mode", "certificateRefs", "options"]) else { return }
        let mode = reader.oneOf(tls["mode"], at: field.child("mode"), ["Terminate", "Passthrough"]) ?? "Terminate"
        if proto == "HTTPS" && mode != "Terminate" { reader.refuse(field.child("mode"), "tls mode must be Terminate for protocol HTTPS") }
        let refsField = field.child("certificateRefs")
        let refs = reader.list(tls["certificateRefs"], at: refsField, maxItems: 64)
        for (index, item) in refs.enumerated() {
            let at = refsField.index(index)
            guard let ref = reader.object(item, at: at, allowed: ["group", "kind", "name", "namespace"], required: ["name"]) else { continue }
            reader.string(ref["group"], at: at.child("group"), maxLength: 253, rule: GatewayAPIFormat.group)
            reader.string(ref["kind"], at: at.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind)
            reader.string(ref["name"], at: at.child("name"), minLength: 1, maxLength: 253)
            reader.string(ref["namespace"], at: at.child("namespace"), minLength: 1, maxLength: 63) {
                ValidationBytes.isDNS1123Label($0.utf8) ? nil : "must be a DNS-1123 label"
            }
        }
        var options = 0
        if let value = tls["options"] {
            reader.stringMap(value, at: field.child("options"))
            if case .map(let entries) = value { options = entries.count }
        }
        if mode == "Terminate" && refs.isEmpty && options == 0 {
            reader.refuse(field, "certificateRefs or options must be specified when mode is Terminate")
        }
    }

    private static func allowedRoutes(_ value: ManifestValue?, at field: FieldPath, _ reader: inout SchemaReader) {
        guard let value, let routes = reader.object(value, at: field, allowed: ["namespaces", "kinds"]) else { return }
        if let namespaces = reader.object(routes["namespaces"] ?? .map([]), at: field.child("namespaces"), allowed: ["from", "selector"]) {
            reader.oneOf(namespaces["from"], at: field.child("namespaces").child("from"), ["All", "Selector", "Same", "None"])
            let selectorField = field.child("namespaces").child("selector")
            if let selector = namespaces["selector"],
                let parts = reader.object(selector, at: selectorField, allowed: ["matchLabels", "matchExpressions"]) {
                reader.stringMap(parts["matchLabels"], at: selectorField.child("matchLabels"))
                _ = reader.list(parts["matchExpressions"], at: selectorField.child("matchExpressions"), maxItems: 64)
            }
        }
        for (index, item) in reader.list(routes["kinds"], at: field.child("kinds"), maxItems: 8).enumerated() {
            let at = field.child("kinds").index(index)
            guard let kind = reader.object(item, at: at, allowed: ["group", "kind"], required: ["kind"]) else { continue }
            reader.string(kind["group"], at: at.child("group"), maxLength: 253, rule: GatewayAPIFormat.group)
            reader.string(kind["kind"], at: at.child("kind"), minLength: 1, maxLength: 63, rule: GatewayAPIFormat.kind)
        }
    }

    /// `HTTP`, `h2c`: letters, digits and inner dashes.
    private static func isToken(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return ValidationBytes.isAlphanumeric(first) && ValidationBytes.isAlphanumeric(last)
            && bytes.allSatisfy { ValidationBytes.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `example.com/proto`: a DNS subdomain, a slash, then letters and digits.
    private static func isDomainPrefixed(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let suffix = parts.last, !suffix.isEmpty, let domain = parts.first else { return false }
        return ValidationBytes.isDNS1123Subdomain(domain.utf8) && suffix.utf8.allSatisfy(ValidationBytes.isAlphanumeric)
    }
}

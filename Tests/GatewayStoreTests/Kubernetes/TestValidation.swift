import GatewayKit

/// One refusal of the API server's validation, as `field.Error` words it: the field path,
/// the message (`ErrorBody()`: "Invalid value: 80: must be …"), and the cause type.
struct TestFieldError: Error, Sendable, Equatable {
    var field: String
    var message: String
    var reason: String

    static func invalid(_ field: String, _ value: ManifestValue, _ detail: String) -> TestFieldError {
        TestFieldError(field: field, message: "Invalid value: \(shown(value)): \(detail)", reason: "FieldValueInvalid")
    }

    static func required(_ field: String, _ detail: String = "") -> TestFieldError {
        TestFieldError(field: field, message: detail.isEmpty ? "Required value" : "Required value: \(detail)", reason: "FieldValueRequired")
    }

    static func unsupported(_ field: String, _ value: ManifestValue, _ supported: [String]) -> TestFieldError {
        let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
        return TestFieldError(
            field: field, message: "Unsupported value: \(shown(value)): supported values: \(list)", reason: "FieldValueNotSupported")
    }

    static func duplicate(_ field: String, _ value: ManifestValue) -> TestFieldError {
        TestFieldError(field: field, message: "Duplicate value: \(shown(value))", reason: "FieldValueDuplicate")
    }

    static func forbidden(_ field: String, _ detail: String) -> TestFieldError {
        TestFieldError(field: field, message: "Forbidden: \(detail)", reason: "FieldValueForbidden")
    }

    /// A value as Go's `%#v`-ish printing in field errors shows it: strings quoted, numbers bare.
    static func shown(_ value: ManifestValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .int(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "null"
        default: JSONEmitter.document(value).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        }
    }
}

/// Several refusals at once, as one Result failure.
struct TestFieldErrors: Error, Sendable {
    var errors: [TestFieldError]
}

/// The test API server's own validation of what it stores, written from the Kubernetes
/// API reference and `k8s.io/apimachinery/pkg/util/validation` (`IsDNS1123Label`,
/// `IsDNS1123Subdomain`, `IsDNS1035Label`, `IsValidPortNum`, `IsValidPortName`) and
/// `pkg/apis/{core,networking,apps}/validation`. It deliberately shares nothing with
/// GatewayKit's `Validate`: where the two disagree, the test shows kgate's rule, not the
/// server's, was wrong. Only what kgate's kinds can get wrong is checked.
enum TestValidation {
    static func errors(_ value: ManifestValue, resource: TestResource) -> [TestFieldError] {
        var errors: [TestFieldError] = []
        let name = value["metadata"]?["name"]
        if case .string(let text)? = name, !text.isEmpty {
            let problems: [String] = switch resource.plural {
            case "namespaces": dns1123Label(text)
            case "services": dns1035Label(text)
            default: dns1123Subdomain(text)
            }
            errors += problems.map { .invalid("metadata.name", .string(text), $0) }
        } else {
            errors.append(.required("metadata.name", "name or generateName is required"))
        }
        errors += metadataMaps(value["metadata"])
        switch resource.plural {
        // Services: `TestServiceRegistry.prepare` validates them after defaulting.
        case "ingresses": errors += ingress(value)
        case "deployments": errors += deployment(value)
        case "secrets": errors += secret(value)
        default: break
        }
        return errors
    }

    // MARK: Labels and annotations (apimachinery ValidateLabels, ValidateAnnotations)

    static func metadataMaps(_ metadata: ManifestValue?) -> [TestFieldError] {
        var errors: [TestFieldError] = []
        for label in metadata?["labels"]?.fields ?? [] {
            errors += qualifiedName(label.key).map { .invalid("metadata.labels", .string(label.key), $0) }
            let value = label.value.text ?? ""
            errors += labelValue(value).map { .invalid("metadata.labels", .string(value), $0) }
        }
        for annotation in metadata?["annotations"]?.fields ?? [] {
            errors += qualifiedName(annotation.key.lowercased()).map { .invalid("metadata.annotations", .string(annotation.key), $0) }
        }
        return errors
    }

    static let qualifiedNameRegex = "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'"
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is \(qualifiedNameRegex))"

    /// `IsQualifiedName`: an optional DNS subdomain prefix and `/`, then a name of up to 63.
    static func qualifiedName(_ key: String) -> [String] {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            return ["a qualified name \(qualifiedNameMessage) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        var problems: [String] = []
        if parts.count == 2 {
            if parts[0].isEmpty { problems.append("prefix part must be non-empty") }
            else { problems += dns1123Subdomain(parts[0]).map { "prefix part \($0)" } }
        }
        let name = parts.last ?? ""
        if name.isEmpty { problems.append("name part must be non-empty") }
        else {
            if name.count > 63 { problems.append("name part must be no more than 63 characters") }
            if !isQualifiedNamePart(name) { problems.append("name part \(qualifiedNameMessage)") }
        }
        return problems
    }

    /// `IsValidLabelValue`: empty, or a qualified name part of up to 63.
    static func labelValue(_ value: String) -> [String] {
        guard !value.isEmpty else { return [] }
        var problems: [String] = []
        if value.count > 63 { problems.append("must be no more than 63 characters") }
        if !isQualifiedNamePart(value) {
            problems.append(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        }
        return problems
    }

    private static func isQualifiedNamePart(_ text: String) -> Bool {
        let alphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = text.first, let last = text.last, alphanumeric(first), alphanumeric(last) else { return false }
        return text.allSatisfy { alphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    // MARK: Service (pkg/apis/core/validation ValidateService)

    static let serviceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    static func service(_ value: ManifestValue) -> [TestFieldError] {
        var errors: [TestFieldError] = []
        let spec = value["spec"]
        let type = spec?["type"]?.text ?? "ClusterIP"
        if !serviceTypes.contains(type) { errors.append(.unsupported("spec.type", .string(type), serviceTypes)) }
        let ports = spec?["ports"]?.items ?? []
        if ports.isEmpty && type != "ExternalName" { errors.append(.required("spec.ports")) }
        var names = Set<String>()
        var nodePorts = Set<[String]>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let name = port["name"]?.text ?? ""
            if name.isEmpty {
                if ports.count > 1 { errors.append(.required("\(path).name")) }
            } else {
                errors += dns1123Label(name).map { .invalid("\(path).name", .string(name), $0) }
                if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", .string(name))) }
            }
            let number = port["port"]
            if case .int(let value)? = number {
                errors += portNumber(value).map { .invalid("\(path).port", .int(value), $0) }
            } else {
                errors.append(.invalid("\(path).port", number ?? .null, "must be between 1 and 65535, inclusive"))
            }
            let proto = port["protocol"]?.text ?? "TCP"
            if !["SCTP", "TCP", "UDP"].contains(proto) {
                errors.append(.unsupported("\(path).protocol", .string(proto), ["SCTP", "TCP", "UDP"]))
            }
            switch port["targetPort"] {
            case .int(let target)? where target != 0:
                errors += portNumber(target).map { .invalid("\(path).targetPort", .int(target), $0) }
            case .string(let target)? where Int(target) == nil:
                errors += portName(target).map { .invalid("\(path).targetPort", .string(target), $0) }
            case .string(let target)?:
                errors += portNumber(Int(target) ?? 0).map { .invalid("\(path).targetPort", .string(target), $0) }
            default: break
            }
            if case .int(let nodePort)? = port["nodePort"], nodePort != 0 {
                if type == "ClusterIP" || type == "ExternalName" {
                    errors.append(.forbidden("\(path).nodePort", "may not be used when `type` is '\(type)'"))
                } else if !nodePorts.insert([String(nodePort), proto]).inserted {
                    errors.append(.duplicate("\(path).nodePort", .int(nodePort)))
                }
            }
        }
        if let affinity = spec?["sessionAffinity"]?.text, !["ClientIP", "None"].contains(affinity) {
            errors.append(.unsupported("spec.sessionAffinity", .string(affinity), ["ClientIP", "None"]))
        }
        if let policy = spec?["externalTrafficPolicy"]?.text {
            if type != "NodePort" && type != "LoadBalancer" {
                errors.append(.invalid(
                    "spec.externalTrafficPolicy", .string(policy), "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
            } else if !["Cluster", "Local"].contains(policy) {
                errors.append(.unsupported("spec.externalTrafficPolicy", .string(policy), ["Cluster", "Local"]))
            }
        }
        return errors
    }

    // MARK: Ingress (pkg/apis/networking/validation ValidateIngress, networking/v1)

    static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]

    static func ingress(_ value: ManifestValue) -> [TestFieldError] {
        var errors: [TestFieldError] = []
        let spec = value["spec"]
        let rules = spec?["rules"]?.items ?? []
        if rules.isEmpty && spec?["defaultBackend"] == nil {
            errors.append(.invalid("spec.rules", .list([]), "either `defaultBackend` or `rules` must be specified"))
        }
        for (index, rule) in rules.enumerated() {
            let path = "spec.rules[\(index)]"
            if let host = rule["host"]?.text, !host.isEmpty { errors += self.host(host, field: "\(path).host") }
            guard let http = rule["http"] else { continue }
            let paths = http["paths"]?.items ?? []
            if paths.isEmpty { errors.append(.required("\(path).http.paths")) }
            for (pathIndex, item) in paths.enumerated() {
                let itemPath = "\(path).http.paths[\(pathIndex)]"
                let text = item["path"]?.text ?? ""
                if let pathType = item["pathType"]?.text {
                    if !pathTypes.contains(pathType) {
                        errors.append(.unsupported("\(itemPath).pathType", .string(pathType), pathTypes))
                    } else if pathType != "ImplementationSpecific" || !text.isEmpty, !text.hasPrefix("/") {
                        errors.append(.invalid("\(itemPath).path", .string(text), "must be an absolute path"))
                    }
                } else {
                    errors.append(.required("\(itemPath).pathType", "pathType must be specified"))
                }
                errors += backend(item["backend"], field: "\(itemPath).backend")
            }
        }
        if let backend = spec?["defaultBackend"] { errors += self.backend(backend, field: "spec.defaultBackend") }
        for (index, tls) in (spec?["tls"]?.items ?? []).enumerated() {
            for (hostIndex, host) in (tls["hosts"]?.items ?? []).enumerated() {
                if let text = host.text { errors += self.host(text, field: "spec.tls[\(index)].hosts[\(hostIndex)]") }
            }
        }
        return errors
    }

    private static func host(_ host: String, field: String) -> [TestFieldError] {
        if isIPv4(host) || host.contains(":") { return [.invalid(field, .string(host), "must be a DNS name, not an IP address")] }
        if host.hasPrefix("*.") {
            return dns1123Subdomain(String(host.dropFirst(2))).isEmpty ? [] : [.invalid(field, .string(host), wildcardMessage)]
        }
        return dns1123Subdomain(host).map { .invalid(field, .string(host), $0) }
    }

    /// `validateIngressBackend`: a service name (DNS-1035) and one of port name or number.
    private static func backend(_ backend: ManifestValue?, field: String) -> [TestFieldError] {
        guard let backend else { return [.required(field)] }
        guard let service = backend["service"] else {
            return backend["resource"] == nil ? [.invalid(field, .string(""), "resource or service backend is required")] : []
        }
        var errors: [TestFieldError] = []
        if let name = service["name"]?.text, !name.isEmpty {
            errors += dns1035Label(name).map { .invalid("\(field).service.name", .string(name), $0) }
        } else {
            errors.append(.required("\(field).service.name"))
        }
        let portName = service["port"]?["name"]?.text ?? ""
        let portNumber: Int = if case .int(let number)? = service["port"]?["number"] { number } else { 0 }
        if !portName.isEmpty && portNumber != 0 {
            errors.append(.invalid(field, .string(""), "cannot set both port name & port number"))
        } else if !portName.isEmpty {
            errors += self.portName(portName).map { .invalid("\(field).service.port.name", .string(portName), $0) }
        } else if portNumber != 0 {
            errors += self.portNumber(portNumber).map { .invalid("\(field).service.port.number", .int(portNumber), $0) }
        } else {
            errors.append(.required(field, "port name or number is required"))
        }
        return errors
    }

    // MARK: Deployment (pkg/apis/apps/validation ValidateDeploymentSpec)

    static func deployment(_ value: ManifestValue) -> [TestFieldError] {
        var errors: [TestFieldError] = []
        let spec = value["spec"]
        if case .int(let replicas)? = spec?["replicas"], replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        let wanted = spec?["selector"]?["matchLabels"]
        let labels = spec?["template"]?["metadata"]?["labels"]
        if spec?["selector"] == nil {
            errors.append(.required("spec.selector"))
        } else if case .map(let selector)? = wanted, !selector.allSatisfy({ labels?[$0.key] == $0.value }) {
            errors.append(.invalid("spec.template.metadata.labels", labels ?? .null, "`selector` does not match template `labels`"))
        }
        let containers = spec?["template"]?["spec"]?["containers"]?.items ?? []
        if containers.isEmpty { errors.append(.required("spec.template.spec.containers")) }
        for (index, container) in containers.enumerated() {
            let path = "spec.template.spec.containers[\(index)]"
            if let name = container["name"]?.text, !name.isEmpty {
                errors += dns1123Label(name).map { .invalid("\(path).name", .string(name), $0) }
            } else {
                errors.append(.required("\(path).name"))
            }
            if (container["image"]?.text ?? "").isEmpty { errors.append(.required("\(path).image")) }
        }
        return errors
    }

    // MARK: Secret (ValidateSecret)

    static func secret(_ value: ManifestValue) -> [TestFieldError] {
        guard value["type"]?.text == "kubernetes.io/tls" else { return [] }
        return ["tls.crt", "tls.key"].compactMap { key in value["data"]?[key] == nil ? .required("data[\(key)]") : nil }
    }

    // MARK: Names and numbers (k8s.io/apimachinery/pkg/util/validation)

    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let wildcardMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    static func dns1123Label(_ text: String) -> [String] {
        var problems: [String] = []
        if text.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(text, firstIsLetter: false) { problems.append(labelMessage) }
        return problems
    }

    static func dns1123Subdomain(_ text: String) -> [String] {
        var problems: [String] = []
        if text.count > 253 { problems.append("must be no more than 253 characters") }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if !labels.allSatisfy({ isLabel(String($0), firstIsLetter: false) }) { problems.append(subdomainMessage) }
        return problems
    }

    static func dns1035Label(_ text: String) -> [String] {
        var problems: [String] = []
        if text.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(text, firstIsLetter: true) { problems.append(dns1035Message) }
        return problems
    }

    static func portNumber(_ number: Int) -> [String] {
        (1...65535).contains(number) ? [] : ["must be between 1 and 65535, inclusive"]
    }

    /// `IsValidPortName` (IANA_SVC_NAME).
    static func portName(_ name: String) -> [String] {
        var problems: [String] = []
        if name.count > 15 { problems.append("must be no more than 15 characters") }
        if !name.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) {
            problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if name.contains("--") { problems.append("must not contain consecutive hyphens") }
        if !name.contains(where: { $0.isASCII && $0.isLetter }) { problems.append("must contain at least one letter (a-z)") }
        if name.hasPrefix("-") || name.hasSuffix("-") { problems.append("must not begin or end with a hyphen") }
        return problems
    }

    private static func isLabel(_ text: String, firstIsLetter: Bool) -> Bool {
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        guard let first = text.first, let last = text.last, text.allSatisfy(allowed) else { return false }
        let firstOK = firstIsLetter ? first.isLetter : (first.isLetter || first.isNumber)
        return firstOK && (last.isLetter || last.isNumber)
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in Int(part).map { (0...255).contains($0) } ?? false }
    }
}

extension ManifestValue {
    /// The string this value holds, if it is one.
    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The items of a list; empty for anything else.
    var items: [ManifestValue] {
        if case .list(let values) = self { return values }
        return []
    }

    /// The fields of a map; empty for anything else.
    var fields: [ManifestField] {
        if case .map(let values) = self { return values }
        return []
    }
}

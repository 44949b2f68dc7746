/// Reads Kubernetes manifests (YAML, multi-document, or JSON, or a `v1` `List`) into
/// objects. It checks structure and types only; the store validates what it parsed.
///
/// ```
/// routes/web.yaml (document 2): spec.rules[0].http.paths[0].pathType: Unsupported value:
///   "Foo": supported values: "Exact", "ImplementationSpecific", "Prefix"
/// ```
public enum ManifestParser {
    /// Every document of `text`: the objects that parsed, and a problem naming `source`,
    /// the document and the field for each that did not. Empty documents are skipped.
    /// Never traps, whatever the text.
    public static func parse(_ text: String, source: String) -> (objects: [KubeObject], problems: [ManifestProblem]) {
        var parsed = Parsed(source: source)
        // JSON is read as JSON, as kubectl does for text that starts with `{` or `[`.
        if JSONReader.looksLikeJSON(text) {
            var reader = JSONReader(text)
            switch reader.values() {
            case .success(let values):
                for (index, value) in values.enumerated() where value != .null { parsed.take(value, document: index) }
                return parsed.result
            case .failure(let failure):
                // Flow-style YAML starts with `{` too: keep the JSON error unless YAML reads it.
                let asYAML = parseYAML(text, source: source)
                if asYAML.problems.isEmpty { return asYAML }
                return ([], [ManifestProblem(source: source, document: failure.document, errors: [failure.fieldError])])
            }
        }
        return parseYAML(text, source: source)
    }

    /// The trees of `text`'s documents that hold anything, with each document's number,
    /// when every document reads; nil when one does not (`parse` then names the problem).
    /// `parse(trees:source:)` of the result is `parse(text, source:)`: a store can keep
    /// the trees and skip reading the text again.
    public static func trees(_ text: String) -> [ManifestTree]? {
        if JSONReader.looksLikeJSON(text) {
            var reader = JSONReader(text)
            guard case .success(let values) = reader.values() else { return nil }
            return values.enumerated().compactMap { $1 == .null ? nil : ManifestTree(document: $0, value: $1) }
        }
        var trees: [ManifestTree] = []
        for document in YAMLDocuments.split(text) {
            switch YAMLDocuments.read(document) {
            case .failure: return nil
            case .success(nil): continue
            case .success(let value?): trees.append(ManifestTree(document: document.index, value: value))
            }
        }
        return trees
    }

    /// The objects of trees from `trees(_:)`, and a problem for each that is not one.
    public static func parse(trees: [ManifestTree], source: String) -> (objects: [KubeObject], problems: [ManifestProblem]) {
        var parsed = Parsed(source: source)
        for tree in trees { parsed.take(tree.value, document: tree.document) }
        return parsed.result
    }

    private static func parseYAML(_ text: String, source: String) -> (objects: [KubeObject], problems: [ManifestProblem]) {
        var parsed = Parsed(source: source)
        // Documents read independently: a file of many (`apply -f` of a whole project's
        // 10,000 Ingresses) is read on every core, its objects kept in document order.
        let documents = YAMLDocuments.split(text)
        let read = documents.parallelMap(chunk: 128) { document in
            YAMLDocuments.read(document).map { value in value.map(ManifestParser.objectsOf) }
        }
        for (document, result) in zip(documents, read) {
            switch result {
            case .failure(let error):
                parsed.problems.append(ManifestProblem(source: source, document: document.index, errors: [error]))
            case .success(nil):
                continue
            case .success(let objects?):
                parsed.take(objects, document: document.index)
            }
        }
        return parsed.result
    }

    /// What one source gave so far.
    private struct Parsed {
        let source: String
        var objects: [KubeObject] = []
        var problems: [ManifestProblem] = []

        init(source: String) { self.source = source }

        mutating func take(_ value: ManifestValue, document: Int) {
            take(ManifestParser.objectsOf(value), document: document)
        }

        mutating func take(_ results: [Result<KubeObject, ValidationFailure>], document: Int) {
            for result in results {
                switch result {
                case .success(let object): objects.append(object)
                case .failure(let failure):
                    problems.append(ManifestProblem(source: source, document: document, errors: failure.errors))
                }
            }
        }

        var result: (objects: [KubeObject], problems: [ManifestProblem]) { (objects, problems) }
    }

    /// The object of one manifest tree, or a `List`'s objects, each item on its own.
    public static func objectsOf(_ value: ManifestValue) -> [Result<KubeObject, ValidationFailure>] {
        guard case .map = value else {
            return [.failure(ValidationFailure([FieldError("document", "must be a Kubernetes object (a map with apiVersion and kind)")]))]
        }
        if value["kind"] == .string("List") && value["apiVersion"] == .string("v1") {
            guard case .list(let items)? = value["items"] else {
                return [.failure(ValidationFailure([FieldError("items", "must be a list")]))]
            }
            return items.enumerated().map { object(of: $1, path: FieldPath("items").index($0)) }
        }
        return [object(of: value, path: FieldPath(""))]
    }

    /// One object; `path` is where it sits (`items[3]` in a List).
    static func object(of value: ManifestValue, path: FieldPath) -> Result<KubeObject, ValidationFailure> {
        let errors = ParseErrors()
        let root = ValueReader(value, path: path, errors: errors)
        guard case .map = value else {
            root.refuse("must be a Kubernetes object (a map with apiVersion and kind)")
            return .failure(ValidationFailure(errors.errors))
        }
        let kindField = root["kind"]
        let apiVersionField = root["apiVersion"]
        let kind = kindField.requiredString()
        let apiVersion = apiVersionField.requiredString()
        guard errors.isEmpty else { return .failure(ValidationFailure(errors.errors)) }
        // Gateway API objects are kept whole; `Gateway` is KubeSphere's unless its group says otherwise.
        if let apiKind = GatewayAPIObject.Kind(rawValue: kind), apiKind != .gateway || apiVersion.hasPrefix(GatewayAPI.group + "/") {
            let versions = GatewayAPIObject.apiVersions(apiKind)
            guard versions.contains(apiVersion) else {
                apiVersionField.refuse(unsupported(apiVersion, supported: versions) + " (for kind \(kind))")
                return .failure(ValidationFailure(errors.errors))
            }
            let metadata = ObjectParsing.metadata(root)
            guard errors.isEmpty else { return .failure(ValidationFailure(errors.errors)) }
            return .success(.gatewayAPI(GatewayAPIObject(kind: apiKind, metadata: metadata, manifest: value)))
        }
        guard let expected = ManifestKind.apiVersions[kind] else {
            kindField.refuse("\(displayed(kind)) is not a kind kgate stores (it stores "
                + (ManifestKind.all + ["HTTPRoute", "ReferenceGrant"]).joined(separator: ", ") + ")")
            return .failure(ValidationFailure(errors.errors))
        }
        guard apiVersion == expected else {
            apiVersionField.refuse(unsupported(apiVersion, supported: [expected]) + " (for kind \(kind))")
            return .failure(ValidationFailure(errors.errors))
        }
        let object: KubeObject? = switch kind {
        case "Namespace": ObjectParsing.namespace(root)
        case "Node": ObjectParsing.node(root)
        case "Service": ObjectParsing.service(root)
        case "EndpointSlice": ObjectParsing.endpointSlice(root)
        case "Secret": ObjectParsing.secret(root)
        case "Ingress": ObjectParsing.ingress(root)
        case "Gateway": ObjectParsing.gateway(root)
        case "Deployment": ObjectParsing.routerDeployment(root)
        case "Eip": ObjectParsing.eip(root)
        case "ConfigMap": ObjectParsing.settings(root)
        default: nil
        }
        guard let object, errors.isEmpty else { return .failure(ValidationFailure(errors.errors)) }
        return .success(object)
    }
}

/// One document's tree and its number in its file (for problems: "document 2").
public struct ManifestTree: Hashable, Sendable {
    public var document: Int
    public var value: ManifestValue

    public init(document: Int, value: ManifestValue) {
        self.document = document
        self.value = value
    }
}

/// A value in a message: as it is when that is unambiguous, else JSON-quoted.
func displayed(_ text: String) -> String {
    YAMLScalar.isPlainSafe(text) ? text : jsonQuoted(text)
}

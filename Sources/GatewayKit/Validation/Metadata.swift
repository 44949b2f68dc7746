/// `metadata` of every kind: name, namespace, labels, annotations, and KubeSphere's alias
/// and description. Errors are addressed `metadata.name`, `metadata.namespace`,
/// `metadata.labels[<key>]`, `metadata.annotations[<key>]` (a key's or its value's fault),
/// and `metadata.annotations` for the total size.
extension Validate {
    /// Kubernetes' limit on all annotation keys and values of one object, together.
    public static let annotationsTotalSizeLimit = 256 * 1024
    /// KubeSphere's limits on `kubesphere.io/alias-name` and `kubesphere.io/description`.
    public static let aliasMaxLength = 63
    public static let descriptionMaxLength = 256

    /// Label keys are qualified names, values label values; each error at `field[<key>]`.
    public static func labels(_ labels: [String: String], at field: @autoclosure () -> FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            errors.append(qualifiedName(key), at: field().key(key))
            errors.append(labelValue(value), at: field().key(key))
        }
        return errors
    }

    /// Annotation keys are qualified names (read in lower case, as Kubernetes does),
    /// values single lines of any text, all of them at most 256 KiB. KubeSphere's alias
    /// (63) and description (256) are counted in characters, as an operator counts.
    /// ingress-nginx's `*-snippet` annotations are refused: kgate writes no raw nginx
    /// configuration.
    public static func annotations(_ annotations: [String: String], at field: @autoclosure () -> FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var total = 0
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            total += key.utf8.count + value.utf8.count
            errors.append(qualifiedName(key.lowercased()), at: field().key(key))
            errors.append(singleLine(value), at: field().key(key))
            if key.hasPrefix("nginx.ingress.kubernetes.io/") && key.hasSuffix("-snippet") {
                errors.append(FieldError(field().key(key), snippetReason))
            }
            if key == KubeSphereAnnotation.alias && value.count > aliasMaxLength {
                errors.append(FieldError(field().key(key), "must be no more than \(aliasMaxLength) characters"))
            }
            if key == KubeSphereAnnotation.description && value.count > descriptionMaxLength {
                errors.append(FieldError(field().key(key), "must be no more than \(descriptionMaxLength) characters"))
            }
        }
        if total > annotationsTotalSizeLimit {
            errors.append(FieldError(field(), "may not be more than \(annotationsTotalSizeLimit) bytes in total"))
        }
        return errors
    }

    public static let snippetReason = "snippets are not supported: kgate writes no raw nginx configuration"

    /// A name: required, then `rule`.
    static func name(_ value: String, rule: (String) -> [String]) -> [String] {
        value.isEmpty ? ["is required"] : rule(value)
    }

    /// `metadata` of an object whose name follows `nameRule`; `namespaced` says whether it
    /// must have a namespace (a project, a DNS-1123 label) or must have none.
    static func objectMeta(
        _ meta: ObjectMeta, nameRule: (String) -> [String], namespaced: Bool
    ) -> [FieldError] {
        let field = FieldPath("metadata")
        var errors: [FieldError] = []
        errors.append(name(meta.name, rule: nameRule), at: field.child("name"))
        if namespaced {
            errors.append(name(meta.namespace, rule: dns1123Label), at: field.child("namespace"))
        } else if !meta.namespace.isEmpty {
            errors.append(FieldError(field.child("namespace"), "not allowed on this type: it is cluster-scoped"))
        }
        errors += labels(meta.labels, at: field.child("labels"))
        errors += annotations(meta.annotations, at: field.child("annotations"))
        return errors
    }

    /// Every string of `metadata`, with its path, for the single-line rule.
    static func strings(of meta: ObjectMeta) -> TextFields {
        let field = FieldPath("metadata")
        var fields = TextFields()
        fields.add(field.child("name"), meta.name)
        fields.add(field.child("namespace"), meta.namespace)
        fields.add(meta.labels, at: field.child("labels"))
        fields.add(meta.annotations, at: field.child("annotations"))
        if let version = meta.resourceVersion { fields.add(field.child("resourceVersion"), version) }
        if let stamp = meta.creationTimestamp { fields.add(field.child("creationTimestamp"), stamp) }
        return fields
    }
}

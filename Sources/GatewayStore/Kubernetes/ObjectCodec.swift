import GatewayKit

/// Objects to and from the API's JSON trees. Sending renders with GatewayKit's
/// `ManifestValue(_:)`, the same rendering a workspace writes; reading goes through
/// `ManifestParser`, the same reading a workspace file gets.
enum ObjectCodec {
    /// One object of an API answer. List items carry no `apiVersion` and `kind` (the
    /// list does), so the resource's are put in first.
    static func decode(_ value: ManifestValue, as resource: APIResource) -> Result<KubeObject, ValidationFailure> {
        var tree = value
        tree.set("apiVersion", .string(resource.groupVersion))
        tree.set("kind", .string(resource.kind))
        guard let first = ManifestParser.objectsOf(tree).first else {
            return .failure(ValidationFailure([FieldError("", "no object")]))
        }
        return first
    }

    /// `decode`, for an answer that must be an object of the kind asked for.
    static func decodeOrThrow(_ value: ManifestValue, as resource: APIResource, reference: String) throws(StoreError) -> KubeObject {
        switch decode(value, as: resource) {
        case .success(let object): return object
        case .failure(let failure): throw .invalid(object: reference, errors: failure.errors)
        }
    }

    /// The body to send for `object`: its manifest, with `resourceVersion` only when given.
    static func encode(_ object: KubeObject) -> ManifestValue { ManifestValue(object) }

    /// `metadata.resourceVersion` of an API object.
    static func resourceVersion(_ value: ManifestValue?) -> String? {
        if case .string(let version)? = value?["metadata"]?["resourceVersion"] { return version }
        return nil
    }
}

extension ManifestValue {
    /// Sets (or adds, at the end) `key` of a map; does nothing to other values.
    mutating func set(_ key: String, _ value: ManifestValue) {
        guard case .map(var fields) = self else { return }
        if let index = fields.firstIndex(where: { $0.key == key }) {
            fields[index].value = value
        } else {
            fields.append(ManifestField(key, value))
        }
        self = .map(fields)
    }

    /// Sets a field below nested maps (`["metadata", "resourceVersion"]`), making the
    /// maps on the way.
    mutating func set(path: [String], _ value: ManifestValue) {
        guard let first = path.first else { return }
        guard path.count > 1 else { return set(first, value) }
        var child = self[first] ?? .map([])
        if case .map = child {} else { child = .map([]) }
        child.set(path: Array(path.dropFirst()), value)
        set(first, child)
    }

    /// Removes `metadata.resourceVersion` (or any nested key); a missing one is fine.
    mutating func remove(path: [String]) {
        guard let first = path.first, case .map(var fields) = self else { return }
        guard let index = fields.firstIndex(where: { $0.key == first }) else { return }
        if path.count == 1 {
            fields.remove(at: index)
        } else {
            fields[index].value.remove(path: Array(path.dropFirst()))
        }
        self = .map(fields)
    }

    /// The value at nested keys, if every step is a map holding the key.
    subscript(path path: [String]) -> ManifestValue? {
        var current: ManifestValue? = self
        for key in path { current = current?[key] }
        return current
    }
}

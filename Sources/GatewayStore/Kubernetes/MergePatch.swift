import GatewayKit

/// JSON merge patches (RFC 7386), the body of every kgate write to an object that exists:
/// the API server applies them to what it holds, so that every field kgate does not send
/// (unknown spec fields, other annotations and labels, finalizers, ownerReferences, what
/// a controller wrote) stays as it is.
///
/// Merge patch semantics: a key set to null is removed; a list is replaced whole.
enum MergePatch {
    /// The patch that turns `original` into `modified`, as `jsonpatch.CreateMergePatch`
    /// does: changed and added keys with their new values, removed keys as null, unchanged
    /// keys left out, a differing list or scalar sent whole. Nil when nothing differs.
    ///
    /// kgate calls it with two renderings of its own model (as read, and as the operator
    /// changed it), so the patch holds exactly the fields the operator changed.
    static func between(_ original: ManifestValue, _ modified: ManifestValue) -> ManifestValue? {
        guard case .map(let before) = original, case .map(let after) = modified else {
            return original == modified ? nil : modified
        }
        var fields: [ManifestField] = []
        for field in after {
            if let old = before.first(where: { $0.key == field.key })?.value {
                if let change = between(old, field.value) { fields.append(ManifestField(field.key, change)) }
            } else {
                fields.append(field)
            }
        }
        for field in before where !after.contains(where: { $0.key == field.key }) {
            fields.append(ManifestField(field.key, .null))
        }
        return fields.isEmpty ? nil : .map(fields)
    }

    /// `patch` without the removals (nulls) of keys of the maps at `paths`: what `kgate
    /// apply` sends, since a file that does not mention an annotation or label another
    /// client set (KubeSphere's `kubesphere.io/creator`, say) means "leave it", as for
    /// `kubectl apply`, whose three-way merge removes only keys it applied itself.
    static func keepingUnmentioned(_ patch: ManifestValue, under paths: [[String]]) -> ManifestValue {
        var result = patch
        for path in paths {
            // A file with no annotations at all renders none: the whole map would be null.
            if result[path: path] == .null {
                result.remove(path: path)
                continue
            }
            guard case .map(let fields)? = result[path: path] else { continue }
            let kept = fields.filter { $0.value != .null }
            if kept.isEmpty { result.remove(path: path) } else { result.set(path: path, .map(kept)) }
        }
        return result
    }

    /// `object`'s manifest without what the server stamps or owns: the body two renderings
    /// are compared on.
    static func comparable(_ object: KubeObject) -> ManifestValue {
        var value = ObjectCodec.encode(object.modeledOnly)
        value.remove(path: ["status"])
        value.remove(path: ["metadata", "resourceVersion"])
        value.remove(path: ["metadata", "creationTimestamp"])
        return value
    }
}

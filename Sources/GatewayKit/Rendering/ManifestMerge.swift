/// Lays an object's typed manifest over the manifest it was read from, so that a save
/// keeps every field kgate does not model, and drops only what kgate owns and removed.
///
/// The fields a kind's parser reads are owned by the model: they are removed from the
/// stored manifest first (an annotation deleted in the editor must not come back), then
/// the typed manifest is merged in, map by map, keeping the stored order of keys.
///
///     stored: metadata {name, finalizers}, spec {rules, futureField}
///     typed:  metadata {name, annotations}, spec {rules}
///     saved:  metadata {name, finalizers, annotations}, spec {rules, futureField}
public enum ManifestMerge {
    public static func merged(typed: ManifestValue, over stored: ManifestValue?, kind: String) -> ManifestValue {
        guard var base = stored, case .map = base else { return typed }
        for path in ownedPaths(kind: kind) { base = removing(path[...], from: base) }
        return overlay(typed, on: base)
    }

    /// The fields each kind's parser reads; nil for a kind that keeps no stored form.
    static func ownedPaths(kind: String) -> [[String]] {
        let header = [["apiVersion"], ["kind"]]
        let identity = ["name", "namespace", "resourceVersion", "creationTimestamp"].map { ["metadata", $0] }
        let metadata = identity + [["metadata", "labels"], ["metadata", "annotations"]]
        switch kind {
        case "Ingress":
            return header + metadata + ["ingressClassName", "defaultBackend", "rules", "tls"].map { ["spec", $0] }
        case "Service":
            return header + metadata + ["type", "ports", "selector", "clusterIP", "externalIPs"].map { ["spec", $0] }
                + [["status", "loadBalancer"]]
        case "Gateway":
            // The CR's labels and annotations are not modelled (only the Service's are).
            return header + identity + [
                ["spec", "controller", "replicas"], ["spec", "controller", "config"], ["spec", "controller", "scope"],
                ["spec", "service", "type"], ["spec", "service", "annotations"], ["spec", "deployment", "replicas"],
                ["spec", "deployment", "annotations", KubeSphereAnnotation.governance],
                ["status", "loadBalancer"], ["status", "service"], ["status", "externalIPs"],
            ]
        default:
            return []
        }
    }

    /// `value` without the field at `path`; a map left empty by the removal goes too.
    static func removing(_ path: ArraySlice<String>, from value: ManifestValue) -> ManifestValue {
        guard let key = path.first, case .map(var fields) = value,
            let index = fields.firstIndex(where: { $0.key == key })
        else { return value }
        if path.count == 1 {
            fields.remove(at: index)
        } else {
            let child = removing(path.dropFirst(), from: fields[index].value)
            if case .map(let rest) = child, rest.isEmpty, case .map(let before) = fields[index].value, !before.isEmpty {
                fields.remove(at: index)
            } else {
                fields[index].value = child
            }
        }
        return .map(fields)
    }

    /// `typed` merged into `base`: maps key by key (the base's order first), anything
    /// else replaced by the typed value.
    static func overlay(_ typed: ManifestValue, on base: ManifestValue) -> ManifestValue {
        guard case .map(var fields) = base, case .map(let typedFields) = typed else { return typed }
        for field in typedFields {
            if let index = fields.firstIndex(where: { $0.key == field.key }) {
                fields[index].value = overlay(field.value, on: fields[index].value)
            } else {
                fields.append(field)
            }
        }
        return .map(fields)
    }
}

/// Lays an object's typed manifest over the manifest it was read from, so that a save
/// keeps every field kgate does not model, and drops only what kgate owns and removed.
///
/// The fields a kind's parser reads are owned by the model: they are removed from the
/// stored manifest (an annotation deleted in the editor must not come back; the parser
/// keeps only the rest, see `StoredManifest(unmodeledOf:kind:)`), then the typed manifest
/// is merged in, map by map, in kgate's order with the unmodelled fields after.
///
///     stored: metadata {name, finalizers}, spec {rules, futureField}
///     typed:  metadata {name, annotations}, spec {rules}
///     saved:  metadata {name, annotations, finalizers}, spec {rules, futureField}
public enum ManifestMerge {
    public static func merged(typed: ManifestValue, over stored: ManifestValue?, kind: String) -> ManifestValue {
        guard let stored, case .map = stored else { return typed }
        return overlay(typed, on: unmodeled(stored, kind: kind))
    }

    /// `manifest` without the fields the kind's model holds. Every object a parser reads
    /// goes through here, so the owned fields are a tree made once, taken off in one pass.
    static func unmodeled(_ manifest: ManifestValue, kind: String) -> ManifestValue {
        guard let owned = ownedTrees[kind] else { return manifest }
        return removing(owned, from: manifest)
    }

    /// A field a model owns: whole, or only some fields below it.
    indirect enum Owned: Sendable {
        case whole
        case below([String: Owned])
    }

    private static let ownedTrees: [String: [String: Owned]] = Dictionary(
        uniqueKeysWithValues: ["Ingress", "Service", "Gateway"].map { ($0, tree(ownedPaths(kind: $0))) })

    /// Paths as a tree; a field owned whole stays whole whatever else is below it.
    static func tree(_ paths: [[String]]) -> [String: Owned] {
        var whole: Set<String> = []
        var rests: [String: [[String]]] = [:]
        for path in paths {
            guard let key = path.first else { continue }
            if path.count == 1 { whole.insert(key) } else { rests[key, default: []].append(Array(path.dropFirst())) }
        }
        var tree = rests.mapValues { Owned.below(self.tree($0)) }
        for key in whole { tree[key] = .whole }
        return tree
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

    /// `value` without the `owned` fields; a map left empty by the removal goes too (one
    /// that was empty already stays).
    static func removing(_ owned: [String: Owned], from value: ManifestValue) -> ManifestValue {
        guard case .map(let fields) = value else { return value }
        var kept: [ManifestField] = []
        kept.reserveCapacity(fields.count)
        for field in fields {
            switch owned[field.key] {
            case nil: kept.append(field)
            case .whole?: continue
            case .below(let below)?:
                let child = removing(below, from: field.value)
                if case .map(let rest) = child, rest.isEmpty, case .map(let before) = field.value, !before.isEmpty { continue }
                kept.append(ManifestField(field.key, child))
            }
        }
        return .map(kept)
    }

    /// `typed` merged into `base`: maps key by key, in kgate's order with the fields only
    /// `base` has after them; anything else replaced by the typed value.
    static func overlay(_ typed: ManifestValue, on base: ManifestValue) -> ManifestValue {
        guard case .map(let baseFields) = base, case .map(let typedFields) = typed else { return typed }
        var fields = typedFields.map { field in
            base[field.key].map { ManifestField(field.key, overlay(field.value, on: $0)) } ?? field
        }
        fields += baseFields.filter { stored in !typedFields.contains { $0.key == stored.key } }
        return .map(fields)
    }
}

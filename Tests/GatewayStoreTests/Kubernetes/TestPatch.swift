import GatewayKit

/// The PATCH flavours the test API server takes, as pure functions of the stored object
/// and the patch:
///
/// - `application/merge-patch+json`: RFC 7386.
/// - `application/strategic-merge-patch+json`: as merge, except the lists Kubernetes
///   declares `patchStrategy: merge` for the kinds served here (Service `ports` by `port`,
///   containers and env by `name`, container ports by `containerPort`, volume mounts by
///   `mountPath`, `finalizers` as a set) are merged item by item; `$patch: delete|replace`
///   and `$setElementOrder/…` / `$retainKeys` directives are understood (the latter two
///   ignored: order is kept as stored).
/// - `application/json-patch+json`: RFC 6902 (add, remove, replace, test, move, copy).
/// - `application/apply-patch+yaml`: server-side apply, see `apply`.
enum TestPatch {
    enum Kind: String, Sendable {
        case merge = "application/merge-patch+json"
        case strategic = "application/strategic-merge-patch+json"
        case json = "application/json-patch+json"
        case apply = "application/apply-patch+yaml"

        init?(contentType: String) {
            let bare = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            self.init(rawValue: bare)
        }
    }

    // MARK: RFC 7386

    static func merge(_ target: ManifestValue, _ patch: ManifestValue) -> ManifestValue {
        guard case .map(let changes) = patch else { return patch }
        var result: ManifestValue = if case .map = target { target } else { .map([]) }
        for change in changes {
            if change.value == .null {
                result = result.removing(change.key)
            } else {
                result.set(change.key, merge(result[change.key] ?? .null, change.value))
            }
        }
        return result
    }

    // MARK: Strategic merge

    /// The merge key of a list field, by its name and what its items hold.
    static func mergeKey(field: String, items: [ManifestValue]) -> String? {
        switch field {
        case "containers", "initContainers", "env", "volumes", "imagePullSecrets": return "name"
        case "volumeMounts": return "mountPath"
        case "ports": return items.contains { $0["containerPort"] != nil } ? "containerPort" : "port"
        case "conditions": return "type"
        default: return nil
        }
    }

    static func strategic(_ target: ManifestValue, _ patch: ManifestValue) -> ManifestValue {
        guard case .map(let changes) = patch else { return patch }
        if patch["$patch"] == .string("replace") { return patch.removing("$patch") }
        var result: ManifestValue = if case .map = target { target } else { .map([]) }
        for change in changes where !change.key.hasPrefix("$") {
            let current = result[change.key]
            switch change.value {
            case .null:
                result = result.removing(change.key)
            case .list(let items) where change.key == "finalizers":
                var merged = current?.items ?? []
                for item in items where !merged.contains(item) { merged.append(item) }
                result.set(change.key, .list(merged))
            case .list(let items):
                if let key = mergeKey(field: change.key, items: items + (current?.items ?? [])) {
                    result.set(change.key, .list(mergedList(current?.items ?? [], items, key: key)))
                } else {
                    result.set(change.key, .list(items.filter { $0["$patch"] == nil }))
                }
            default:
                result.set(change.key, strategic(current ?? .null, change.value))
            }
        }
        return result
    }

    private static func mergedList(_ target: [ManifestValue], _ patch: [ManifestValue], key: String) -> [ManifestValue] {
        var result = target
        for item in patch {
            let index = result.firstIndex { $0[key] != nil && $0[key] == item[key] }
            if item["$patch"] == .string("delete") {
                if let index { result.remove(at: index) }
            } else if let index {
                result[index] = strategic(result[index], item)
            } else {
                result.append(strategic(.null, item))
            }
        }
        return result
    }

    // MARK: RFC 6902

    static func jsonPatch(_ target: ManifestValue, _ operations: ManifestValue) -> Result<ManifestValue, TestStatus> {
        guard case .list(let list) = operations else { return .failure(.badRequest("a JSON patch must be a list of operations")) }
        var document = target
        for (index, operation) in list.enumerated() {
            guard let op = operation["op"]?.text, let path = operation["path"]?.text.map(pointer) else {
                return .failure(.badRequest("operation \(index) needs an op and a path"))
            }
            switch op {
            case "add", "replace":
                guard let newValue = operation["value"] else { return .failure(.badRequest("operation \(index) (\(op)) needs a value")) }
                if op == "replace", value(at: path, in: document) == nil { return .failure(missing(path)) }
                guard let next = put(newValue, at: path, in: document, inserting: op == "add") else { return .failure(missing(path)) }
                document = next
            case "remove":
                guard value(at: path, in: document) != nil, let next = remove(at: path, in: document) else { return .failure(missing(path)) }
                document = next
            case "test":
                guard value(at: path, in: document) == operation["value"] else {
                    return .failure(TestStatus(code: 422, reason: "Invalid", message: "testing value /\(path.joined(separator: "/")) failed"))
                }
            case "move", "copy":
                guard let from = operation["from"]?.text.map(pointer), let moved = value(at: from, in: document) else {
                    return .failure(missing(path))
                }
                if op == "move", let removed = remove(at: from, in: document) { document = removed }
                guard let next = put(moved, at: path, in: document, inserting: true) else { return .failure(missing(path)) }
                document = next
            default:
                return .failure(.badRequest("Unexpected kind: \(op)"))
            }
        }
        return .success(document)
    }

    private static func missing(_ path: [String]) -> TestStatus {
        TestStatus(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request: missing path /\(path.joined(separator: "/"))")
    }

    private static func pointer(_ text: String) -> [String] {
        text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    private static func value(at path: [String], in document: ManifestValue) -> ManifestValue? {
        guard let first = path.first else { return document }
        switch document {
        case .map: return document[first].flatMap { value(at: Array(path.dropFirst()), in: $0) }
        case .list(let items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            return value(at: Array(path.dropFirst()), in: items[index])
        default: return nil
        }
    }

    private static func put(_ value: ManifestValue, at path: [String], in document: ManifestValue, inserting: Bool) -> ManifestValue? {
        guard let first = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch document {
        case .map:
            if rest.isEmpty {
                var result = document
                result.set(first, value)
                return result
            }
            guard let child = document[first], let next = put(value, at: rest, in: child, inserting: inserting) else { return nil }
            var result = document
            result.set(first, next)
            return result
        case .list(var items):
            let index = first == "-" ? items.count : Int(first) ?? -1
            if rest.isEmpty {
                if inserting, (0...items.count).contains(index) { items.insert(value, at: index) }
                else if items.indices.contains(index) { items[index] = value }
                else { return nil }
                return .list(items)
            }
            guard items.indices.contains(index), let next = put(value, at: rest, in: items[index], inserting: inserting) else { return nil }
            items[index] = next
            return .list(items)
        default:
            return nil
        }
    }

    private static func remove(at path: [String], in document: ManifestValue) -> ManifestValue? {
        guard let first = path.first else { return nil }
        let rest = Array(path.dropFirst())
        switch document {
        case .map:
            if rest.isEmpty { return document.removing(first) }
            guard let child = document[first], let next = remove(at: rest, in: child) else { return nil }
            var result = document
            result.set(first, next)
            return result
        case .list(var items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            if rest.isEmpty { items.remove(at: index) } else {
                guard let next = remove(at: rest, in: items[index]) else { return nil }
                items[index] = next
            }
            return .list(items)
        default:
            return nil
        }
    }

    // MARK: Server-side apply

    /// Server-side apply, minimally: the applied configuration is merged over the live
    /// object (maps key by key, keyed lists item by item as strategic merge does, other
    /// lists replaced), and the fields this manager applied last time and left out now
    /// are removed. Field sets are recorded in `metadata.managedFields` (FieldsV1, a list
    /// being one field). A field another manager set to a different value is a conflict
    /// (409) unless `force` is set, and then changes owner.
    static func apply(
        live: ManifestValue?, applied: ManifestValue, manager: String, force: Bool
    ) -> Result<ManifestValue, TestStatus> {
        let appliedFields = TestManagedFields.leafPaths(applied)
        let entries = live.map(TestManagedFields.entries) ?? []
        var conflicts: [(String, [String])] = []
        if let live, !force {
            for entry in entries where entry.manager != manager {
                for path in entry.paths where appliedFields.contains(path) && TestManagedFields.value(at: path, in: live) != TestManagedFields.value(at: path, in: applied) {
                    conflicts.append((entry.manager, path))
                }
            }
        }
        if !conflicts.isEmpty {
            let lines = conflicts.map { "conflict with \"\($0.0)\": .\($0.1.joined(separator: "."))" }
            let message = "Apply failed with \(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s"): " + lines.joined(separator: "\n")
            let causes = ManifestValue.list(conflicts.map { manager, path in
                .map([
                    ManifestField("reason", .string("FieldManagerConflict")), ManifestField("message", .string("conflict with \"\(manager)\"")),
                    ManifestField("field", .string("." + path.joined(separator: "."))),
                ])
            })
            return .failure(TestStatus(code: 409, reason: "Conflict", message: message, details: .map([ManifestField("causes", causes)])))
        }
        var merged = strategic(live ?? .map([]), applied.removing(path: ["metadata", "managedFields"]))
        let previous = entries.first { $0.manager == manager && $0.operation == "Apply" }?.paths ?? []
        for path in previous where !appliedFields.contains(path) && !TestManagedFields.isIdentity(path) {
            merged = merged.removing(path: path)
            // A map left empty goes too, as an omitted field does.
            for depth in stride(from: path.count - 1, to: 0, by: -1) {
                let parent = Array(path.prefix(depth))
                guard TestManagedFields.value(at: parent, in: merged) == .map([]) else { break }
                merged = merged.removing(path: parent)
            }
        }
        var updated = entries.map { entry in
            var entry = entry
            if entry.manager != manager { entry.paths = entry.paths.filter { !appliedFields.contains($0) } }
            return entry
        }.filter { $0.manager != manager || $0.operation != "Apply" }
        updated.append(TestManagedFields.Entry(manager: manager, operation: "Apply", paths: appliedFields))
        return .success(TestManagedFields.recording(updated.filter { !$0.paths.isEmpty }, in: merged))
    }
}

/// `metadata.managedFields`, minimally: one entry a manager and operation, its FieldsV1
/// set as nested `f:<key>` maps down to the leaves (a list is one leaf).
enum TestManagedFields {
    struct Entry: Equatable {
        var manager: String
        var operation: String
        var paths: Set<[String]>
    }

    static let time = "2026-11-27T12:00:00Z"

    /// Paths the server, not a manager, answers for.
    static func isIdentity(_ path: [String]) -> Bool {
        path == ["apiVersion"] || path == ["kind"] || path.first == "status"
            || (path.first == "metadata" && path.count > 1 && !["labels", "annotations", "finalizers", "ownerReferences"].contains(path[1]))
    }

    /// The leaf paths of an object's configuration (maps followed; lists and scalars leaves).
    static func leafPaths(_ value: ManifestValue, prefix: [String] = []) -> Set<[String]> {
        guard case .map(let fields) = value, !fields.isEmpty || prefix.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        var result = Set<[String]>()
        for field in fields {
            let path = prefix + [field.key]
            if isIdentity(path) { continue }
            result.formUnion(leafPaths(field.value, prefix: path))
        }
        return result
    }

    static func value(at path: [String], in object: ManifestValue) -> ManifestValue? {
        path.reduce(Optional(object)) { $0?[$1] }
    }

    static func entries(_ object: ManifestValue) -> [Entry] {
        (object["metadata"]?["managedFields"]?.items ?? []).compactMap { item in
            guard let manager = item["manager"]?.text, let operation = item["operation"]?.text else { return nil }
            return Entry(manager: manager, operation: operation, paths: paths(item["fieldsV1"] ?? .map([])))
        }
    }

    private static func paths(_ set: ManifestValue, prefix: [String] = []) -> Set<[String]> {
        let children = set.fields.filter { $0.key.hasPrefix("f:") }
        if children.isEmpty { return prefix.isEmpty ? [] : [prefix] }
        return children.reduce(into: Set<[String]>()) { $0.formUnion(paths($1.value, prefix: prefix + [String($1.key.dropFirst(2))])) }
    }

    private static func fieldsV1(_ paths: Set<[String]>) -> ManifestValue {
        var root = ManifestValue.map([])
        for path in paths.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            root.set(path.map { "f:" + $0 }, .map([]))
        }
        return root
    }

    /// `object` with `entries` as its managedFields.
    static func recording(_ entries: [Entry], in object: ManifestValue) -> ManifestValue {
        var result = object
        let apiVersion = object["apiVersion"] ?? .string("v1")
        result.set(["metadata", "managedFields"], .list(entries.map { entry in
            .map([
                ManifestField("manager", .string(entry.manager)), ManifestField("operation", .string(entry.operation)),
                ManifestField("apiVersion", apiVersion), ManifestField("time", .string(time)),
                ManifestField("fieldsType", .string("FieldsV1")), ManifestField("fieldsV1", fieldsV1(entry.paths)),
            ])
        }))
        return result
    }

    /// After a non-apply write by `manager`: the fields it changed become its own
    /// (an `Update` entry), and no longer another manager's.
    static func recordingUpdate(by manager: String, previous: ManifestValue?, in object: ManifestValue) -> ManifestValue {
        let before = previous.map { leafValues($0) } ?? [:]
        let after = leafValues(object)
        let changed = Set(after.filter { before[$0.key] != $0.value }.keys)
        var entries = previous.map(self.entries) ?? []
        guard !changed.isEmpty else { return recording(entries, in: object) }
        for index in entries.indices where entries[index].manager != manager || entries[index].operation != "Update" {
            entries[index].paths.subtract(changed)
        }
        if let index = entries.firstIndex(where: { $0.manager == manager && $0.operation == "Update" }) {
            entries[index].paths.formUnion(changed)
        } else {
            entries.append(Entry(manager: manager, operation: "Update", paths: changed))
        }
        return recording(entries.filter { !$0.paths.isEmpty }, in: object)
    }

    private static func leafValues(_ object: ManifestValue) -> [[String]: ManifestValue] {
        Dictionary(leafPaths(object).map { ($0, value(at: $0, in: object) ?? .null) }) { first, _ in first }
    }
}

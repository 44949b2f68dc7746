/// A manifest as an ordered tree: the one form between the model and text, both ways.
///
/// Maps keep their keys in the order they were built, so the renderer decides the order
/// (Kubernetes' conventional `apiVersion, kind, metadata, spec, status`, and sorted keys
/// for map-like fields) and the emitters only write it down.
///
/// ```swift
/// let value: ManifestValue = .map([.init("kind", .string("Namespace"))])
/// ManifestRenderer.yaml(value)  // "kind: Namespace\n"
/// ```
public enum ManifestValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case list([ManifestValue])
    case map([ManifestField])

    /// The value under `key` of a map; nil for a missing key or a value that is not a map.
    public subscript(key: String) -> ManifestValue? {
        guard case .map(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// A map of strings with its keys sorted by their UTF-8 bytes, so that the output does
    /// not depend on a dictionary's order.
    public static func sortedStrings(_ dictionary: [String: String]) -> ManifestValue {
        if dictionary.count == 1, let only = dictionary.first { return .map([ManifestField(only.key, .string(only.value))]) }
        return .map(dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { ManifestField($0.key, .string($0.value)) })
    }
}

/// One key and its value in a `ManifestValue.map`.
public struct ManifestField: Hashable, Sendable {
    public var key: String
    public var value: ManifestValue

    public init(_ key: String, _ value: ManifestValue) {
        self.key = key
        self.value = value
    }
}

/// Builds a map in the order fields are added, leaving out what Kubernetes leaves out.
struct MapBuilder {
    private(set) var fields: [ManifestField]

    init() {
        fields = []
        fields.reserveCapacity(8)
    }

    mutating func add(_ key: String, _ value: ManifestValue) {
        fields.append(ManifestField(key, value))
    }

    mutating func add(_ key: String, _ value: String?) {
        if let value { add(key, .string(value)) }
    }

    mutating func add(_ key: String, _ value: Int?) {
        if let value { add(key, .int(value)) }
    }

    /// Adds a non-empty string; an empty one is what Kubernetes omits.
    mutating func addNonEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { add(key, .string(value)) }
    }

    /// Adds a map-like field, sorted by key, when it has entries.
    mutating func addSorted(_ key: String, _ dictionary: [String: String]) {
        if !dictionary.isEmpty { add(key, ManifestValue.sortedStrings(dictionary)) }
    }

    mutating func addList(_ key: String, _ items: [ManifestValue]) {
        if !items.isEmpty { add(key, .list(items)) }
    }

    mutating func addStrings(_ key: String, _ items: [String]) {
        addList(key, items.map(ManifestValue.string))
    }

    var value: ManifestValue { .map(fields) }
}

/// Typed access to a manifest's fields, each read with its field path, so that every
/// wrong field is reported as Kubernetes reports it:
/// `spec.rules[0].host: must be a string`, `spec.type: Required value`.
///
/// Reading never stops at the first error: a missing or mistyped field reads as absent
/// and is recorded in `errors`, and reading goes on.
struct ValueReader {
    let value: ManifestValue?
    /// Where the value sits: an index into the document's places (`ParseErrors`), made a
    /// `FieldPath` only when asked for (an error names it). Made for every field read,
    /// the paths were a seventh of a cold first frame's instructions at 10,000 routes.
    private let place: Int
    let errors: ParseErrors

    init(_ value: ManifestValue?, path: FieldPath, errors: ParseErrors) {
        self.init(value, place: errors.place(.root(path)), errors: errors)
    }

    private init(_ value: ManifestValue?, place: Int, errors: ParseErrors) {
        // `key: null` and `key:` mean the field is not set, as in Kubernetes.
        self.value = value == .null ? nil : value
        self.place = place
        self.errors = errors
    }

    /// This field's path: `spec.rules[0].host`.
    var path: FieldPath { errors.path(of: place) }

    var isPresent: Bool { value != nil }

    /// The field `key` of this map.
    subscript(key: String) -> ValueReader {
        let child = errors.place(.child(place, .field(key)))
        guard let value else { return ValueReader(nil, place: child, errors: errors) }
        guard case .map(let fields) = value else {
            errors.add(path, "must be an object")
            return ValueReader(nil, place: child, errors: errors)
        }
        return ValueReader(fields.first { $0.key == key }?.value, place: child, errors: errors)
    }

    /// A key with dots in it (`tls.crt`), addressed as `data[tls.crt]`.
    func field(_ key: String) -> ValueReader {
        ValueReader(self[key].value, place: errors.place(.child(place, .key(key))), errors: errors)
    }

    func string() -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            errors.add(path, "must be a string")
            return nil
        }
        return text
    }

    func requiredString() -> String {
        guard isPresent else {
            errors.add(path, "Required value")
            return ""
        }
        return string() ?? ""
    }

    func int() -> Int? {
        guard let value else { return nil }
        guard case .int(let number) = value else {
            errors.add(path, "must be an integer")
            return nil
        }
        return number
    }

    func requiredInt() -> Int {
        guard isPresent else {
            errors.add(path, "Required value")
            return 0
        }
        return int() ?? 0
    }

    func bool() -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value else {
            errors.add(path, "must be a boolean")
            return nil
        }
        return flag
    }

    /// A string or an integer (`targetPort`), as text.
    func intOrString() -> String? {
        guard let value else { return nil }
        switch value {
        case .int(let number): return String(number)
        case .string(let text): return text
        default:
            errors.add(path, "must be an integer or a string")
            return nil
        }
    }

    /// The items of a list; none when the field is absent.
    func list() -> [ValueReader] {
        guard let value else { return [] }
        guard case .list(let items) = value else {
            errors.add(path, "must be a list")
            return []
        }
        return items.enumerated().map { ValueReader($1, place: errors.place(.child(place, .index($0))), errors: errors) }
    }

    func strings() -> [String] {
        list().compactMap { $0.string() }
    }

    /// A map of strings (labels, annotations, selector, config); a later duplicate wins.
    func stringMap() -> [String: String] {
        guard let value else { return [:] }
        guard case .map(let fields) = value else {
            errors.add(path, "must be an object")
            return [:]
        }
        var result: [String: String] = [:]
        result.reserveCapacity(fields.count)
        for field in fields {
            if let text = ValueReader(field.value, place: errors.place(.child(place, .key(field.key))), errors: errors).string() {
                result[field.key] = text
            }
        }
        return result
    }

    /// One of the raw values of `T`, or the Kubernetes "Unsupported value" error.
    func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> T? where T.RawValue == String {
        guard let text = string() else { return nil }
        if let result = T(rawValue: text) { return result }
        errors.add(path, unsupported(text, supported: T.allCases.map(\.rawValue)))
        return nil
    }

    func requiredOneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> T? where T.RawValue == String {
        guard isPresent else {
            errors.add(path, "Required value")
            return nil
        }
        return oneOf(type)
    }

    /// Records an error at this field.
    func refuse(_ reason: String) { errors.add(path, reason) }
}

/// `Unsupported value: "Foo": supported values: "Exact", "Prefix"`, values sorted and
/// JSON-quoted so that the message stays on one line whatever the input.
func unsupported(_ value: String, supported: [String]) -> String {
    "Unsupported value: \(jsonQuoted(value)): supported values: "
        + supported.sorted().map(jsonQuoted).joined(separator: ", ")
}

func jsonQuoted(_ text: String) -> String {
    var out: [UInt8] = []
    JSONEmitter.appendString(text, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// The errors of one document, in the order found, each reported once; and where each of
/// its readers sits (`ValueReader`).
final class ParseErrors {
    private(set) var errors: [FieldError] = []
    private var seen: Set<FieldError> = []
    /// Where each reader sits: where the document starts, or the index of its parent's
    /// place and one segment more. One entry a field read, where a path was a copy of
    /// every segment above it (and a box a read, a twentieth of a cold first frame).
    /// Read and written by the one thread reading the document, never while another
    /// access is under way: unchecked, as the two checks of a read were over half its cost.
    @exclusivity(unchecked) private var places: [Place] = []

    enum Place {
        case root(FieldPath)
        case child(Int, FieldPath.Segment)
    }

    init() { places.reserveCapacity(64) }

    /// Records `place`; its index.
    func place(_ place: Place) -> Int {
        places.append(place)
        return places.count - 1
    }

    /// The path of the place at `index`.
    func path(of index: Int) -> FieldPath {
        var segments: [FieldPath.Segment] = []
        var index = index
        while true {
            switch places[index] {
            case .child(let parent, let segment):
                segments.append(segment)
                index = parent
            case .root(let root):
                return FieldPath(segments: root.segments + segments.reversed())
            }
        }
    }

    func add(_ path: FieldPath, _ reason: String) {
        let error = FieldError(path, reason)
        if seen.insert(error).inserted { errors.append(error) }
    }

    var isEmpty: Bool { errors.isEmpty }
}

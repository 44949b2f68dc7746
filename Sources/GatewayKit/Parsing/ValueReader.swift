/// Typed access to a manifest's fields, each read with its field path, so that every
/// wrong field is reported as Kubernetes reports it:
/// `spec.rules[0].host: must be a string`, `spec.type: Required value`.
///
/// Reading never stops at the first error: a missing or mistyped field reads as absent
/// and is recorded in `errors`, and reading goes on.
struct ValueReader {
    let value: ManifestValue?
    let path: FieldPath
    let errors: ParseErrors

    init(_ value: ManifestValue?, path: FieldPath, errors: ParseErrors) {
        // `key: null` and `key:` mean the field is not set, as in Kubernetes.
        self.value = value == .null ? nil : value
        self.path = path
        self.errors = errors
    }

    var isPresent: Bool { value != nil }

    /// The field `key` of this map.
    subscript(key: String) -> ValueReader {
        let child = path.child(key)
        guard let value else { return ValueReader(nil, path: child, errors: errors) }
        guard case .map(let fields) = value else {
            errors.add(path, "must be an object")
            return ValueReader(nil, path: child, errors: errors)
        }
        return ValueReader(fields.first { $0.key == key }?.value, path: child, errors: errors)
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
        return items.enumerated().map { ValueReader($1, path: path.index($0), errors: errors) }
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
            if let text = ValueReader(field.value, path: path.key(field.key), errors: errors).string() {
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

/// The errors of one document, in the order found, each reported once.
final class ParseErrors {
    private(set) var errors: [FieldError] = []
    private var seen: Set<FieldError> = []

    func add(_ path: FieldPath, _ reason: String) {
        let error = FieldError(path, reason)
        if seen.insert(error).inserted { errors.append(error) }
    }

    var isEmpty: Bool { errors.isEmpty }
}

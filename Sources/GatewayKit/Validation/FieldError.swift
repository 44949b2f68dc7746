/// A refusal of one field, addressed as Kubernetes addresses it:
/// `spec.rules[0].host: must be a DNS name, not an IP address`.
///
/// A form places the reason next to the field whose path it carries; the CLI prints
/// `description` on stderr.
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: FieldPath
    public var reason: String

    public init(_ field: FieldPath, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// A path to a field: `metadata.name`, `spec.rules[0].http.paths[1].backend.service.name`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public private(set) var description: String

    public init(_ path: String) { self.description = path }
    public init(stringLiteral value: String) { self.description = value }

    /// `spec` → `spec.rules`.
    public func child(_ name: String) -> FieldPath {
        FieldPath(description.isEmpty ? name : "\(description).\(name)")
    }

    /// `spec.rules` → `spec.rules[0]`.
    public func index(_ i: Int) -> FieldPath { FieldPath("\(description)[\(i)]") }

    /// `metadata.annotations` → `metadata.annotations[kubesphere.io/alias-name]`.
    /// Control characters in the key are written escaped (`\n`), so that a path stays one
    /// line whatever key a hostile manifest holds.
    public func key(_ key: String) -> FieldPath {
        var text = ""
        for scalar in key.unicodeScalars {
            if TextRules.isControl(scalar) { text += TextRules.escape(scalar) } else { text.unicodeScalars.append(scalar) }
        }
        return FieldPath("\(description)[\(text)]")
    }

    /// Whether this path is `other` or lies below it.
    public func isWithin(_ other: FieldPath) -> Bool {
        description == other.description || description.hasPrefix(other.description + ".")
            || description.hasPrefix(other.description + "[")
    }
}

/// Every error of one object, thrown as one.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

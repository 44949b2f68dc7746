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

    /// `spec.rules[0].host: must be …`; a problem of the whole object is its reason alone.
    public var description: String { field.segments.isEmpty ? reason : "\(field): \(reason)" }
}

/// Every error of one object, thrown as one.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

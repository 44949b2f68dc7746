import GatewayKit
import Testing

/// The paths of `errors`, in order, as text: what a test compares.
func paths(_ errors: [FieldError]) -> [String] { errors.map(\.field.description) }

/// Whether some error is at exactly `path`.
func hasError(_ errors: [FieldError], at path: String) -> Bool {
    errors.contains { $0.field.description == path }
}

/// The reasons of the errors at exactly `path`.
func reasons(_ errors: [FieldError], at path: String) -> [String] {
    errors.filter { $0.field.description == path }.map(\.reason)
}

/// A string of `count` copies of `unit`.
func repeated(_ unit: String, _ count: Int) -> String { String(repeating: unit, count: count) }

/// One way to break a valid object, and the field path its refusal must carry.
struct Breakage<Object>: Sendable, CustomTestStringConvertible {
    let label: String
    let path: String
    let apply: @Sendable (inout Object) -> Void

    init(_ label: String, _ path: String, _ apply: @escaping @Sendable (inout Object) -> Void) {
        self.label = label
        self.path = path
        self.apply = apply
    }

    var testDescription: String { "\(label) → \(path)" }

    func applied(to object: Object) -> Object {
        var copy = object
        apply(&copy)
        return copy
    }
}

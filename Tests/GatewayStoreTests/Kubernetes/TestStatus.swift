import GatewayKit

/// A refusal as the API server writes it: a `kind: Status` object with the HTTP code,
/// the reason, the message in Kubernetes' wording, and `details` (with `causes` for 422).
struct TestStatus: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: ManifestValue?

    var body: ManifestValue {
        var fields: [ManifestField] = [
            ManifestField("kind", .string("Status")), ManifestField("apiVersion", .string("v1")),
            ManifestField("metadata", .map([])), ManifestField("status", .string("Failure")),
            ManifestField("message", .string(message)), ManifestField("reason", .string(reason)),
        ]
        if let details { fields.append(ManifestField("details", details)) }
        fields.append(ManifestField("code", .int(code)))
        return .map(fields)
    }

    private static func details(_ resource: TestResource, _ name: String) -> ManifestValue {
        var fields = [ManifestField("name", .string(name))]
        if !resource.group.isEmpty { fields.append(ManifestField("group", .string(resource.group))) }
        fields.append(ManifestField("kind", .string(resource.plural)))
        return .map(fields)
    }

    private static func qualified(_ resource: TestResource) -> String {
        resource.group.isEmpty ? resource.plural : "\(resource.plural).\(resource.group)"
    }

    static func notFound(_ resource: TestResource, _ name: String) -> TestStatus {
        TestStatus(
            code: 404, reason: "NotFound", message: "\(qualified(resource)) \"\(name)\" not found",
            details: details(resource, name))
    }

    static func namespaceNotFound(_ namespace: String) -> TestStatus {
        notFound(TestResource.namespaces, namespace)
    }

    static func alreadyExists(_ resource: TestResource, _ name: String) -> TestStatus {
        TestStatus(
            code: 409, reason: "AlreadyExists", message: "\(qualified(resource)) \"\(name)\" already exists",
            details: details(resource, name))
    }

    static func conflict(_ resource: TestResource, _ name: String, detail: String? = nil) -> TestStatus {
        TestStatus(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(qualified(resource)) \"\(name)\": "
                + (detail ?? "the object has been modified; please apply your changes to the latest version and try again"),
            details: details(resource, name))
    }

    /// 422 as `errors.NewInvalid` writes it: the kind qualified by its group, one error
    /// bare or several in brackets, and each as a cause naming its field.
    static func invalid(_ resource: TestResource, _ name: String, _ errors: [TestFieldError]) -> TestStatus {
        let texts = errors.map { "\($0.field): \($0.message)" }
        let summary = texts.count == 1 ? texts[0] : "[\(texts.joined(separator: ", "))]"
        let kind = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        var fields = [ManifestField("name", .string(name))]
        if !resource.group.isEmpty { fields.append(ManifestField("group", .string(resource.group))) }
        fields.append(ManifestField("kind", .string(resource.kind)))
        fields.append(ManifestField("causes", .list(errors.map { error in
            .map([
                ManifestField("reason", .string(error.reason)), ManifestField("message", .string(error.message)),
                ManifestField("field", .string(error.field)),
            ])
        })))
        return TestStatus(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(summary)", details: .map(fields))
    }

    static let unauthorized = TestStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func forbidden(verb: String, _ resource: TestResource, name: String?, namespace: String) -> TestStatus {
        let subject = name.map { "\(qualified(resource)) \"\($0)\"" } ?? qualified(resource)
        var message = "\(subject) is forbidden: User \"tester\" cannot \(verb) resource \"\(resource.plural)\""
        message += " in API group \"\(resource.group)\""
        message += namespace.isEmpty ? " at the cluster scope" : " in the namespace \"\(namespace)\""
        return TestStatus(code: 403, reason: "Forbidden", message: message, details: details(resource, name ?? ""))
    }

    static func badRequest(_ message: String) -> TestStatus {
        TestStatus(code: 400, reason: "BadRequest", message: message)
    }

    /// A continue token whose snapshot was compacted away (`storage.NewExpiredError` words).
    static func expiredContinue() -> TestStatus {
        TestStatus(
            code: 410, reason: "Expired",
            message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
    }

    static func gone(_ revision: Int) -> TestStatus {
        TestStatus(code: 410, reason: "Expired", message: "too old resource version: \(revision)")
    }
}

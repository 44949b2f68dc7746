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

    private static func details(_ resource: TestResource, _ name: String, causes: [(String, String, String)] = []) -> ManifestValue {
        var fields = [ManifestField("name", .string(name))]
        if !resource.group.isEmpty { fields.append(ManifestField("group", .string(resource.group))) }
        fields.append(ManifestField("kind", .string(resource.plural)))
        if !causes.isEmpty {
            fields.append(ManifestField("causes", .list(causes.map { field, message, reason in
                .map([
                    ManifestField("reason", .string(reason)), ManifestField("message", .string(message)),
                    ManifestField("field", .string(field)),
                ])
            })))
        }
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
        notFound(TestResource.all[0], namespace)
    }

    static func alreadyExists(_ resource: TestResource, _ name: String) -> TestStatus {
        TestStatus(
            code: 409, reason: "AlreadyExists", message: "\(qualified(resource)) \"\(name)\" already exists",
            details: details(resource, name))
    }

    static func conflict(_ resource: TestResource, _ name: String) -> TestStatus {
        TestStatus(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(qualified(resource)) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            details: details(resource, name))
    }

    static func invalid(_ resource: TestResource, _ name: String, _ causes: [(String, String, String)]) -> TestStatus {
        let summary = causes.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        return TestStatus(
            code: 422, reason: "Invalid", message: "\(resource.kind) \"\(name)\" is invalid: [\(summary)]",
            details: details(resource, name, causes: causes))
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

    static func gone(_ revision: Int) -> TestStatus {
        TestStatus(code: 410, reason: "Expired", message: "too old resource version: \(revision)")
    }
}

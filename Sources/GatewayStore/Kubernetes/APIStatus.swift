import Foundation
import GatewayKit

/// Turns an API server's refusal (a `kind: Status` body and its HTTP code) into the
/// `StoreError` the console and CLI already know how to show:
///
/// - 404 → `notFound`; 409 `AlreadyExists` → `alreadyExists`, other 409 → `conflict`;
/// - 422 → `invalid`, each of `details.causes` a `FieldError` at its `field`;
/// - 401 → `forbidden`, saying the credentials were refused; 403 → `forbidden`, saying
///   which verb on which resource in which namespace the user may not use;
/// - anything else → `unavailable`, with the server's message.
struct APIStatus: Sendable {
    var code: Int
    var reason: String?
    var message: String?
    var causes: [(field: String, message: String)]

    init(code: Int, body: [UInt8]) {
        self.code = code
        let tree = try? JSONReader.read(body)
        func text(_ value: ManifestValue?) -> String? {
            if case .string(let s)? = value { return s }
            return nil
        }
        reason = text(tree?["reason"])
        message = text(tree?["message"])
        var causes: [(String, String)] = []
        if case .list(let items)? = tree?["details"]?["causes"] {
            for item in items {
                causes.append((text(item["field"]) ?? "", text(item["message"]) ?? text(item["reason"]) ?? "invalid"))
            }
        }
        self.causes = causes
    }

    /// What the request was, for messages: `update ingresses in namespace demo`.
    struct Request: Sendable {
        var verb: String
        var resource: String
        var namespace: String
        /// `Ingress demo/web`: the object the request was about, or the collection.
        var object: String
    }

    func error(for request: Request) -> StoreError {
        let said = message.map { ": \($0)" } ?? ""
        switch code {
        case 404:
            return .notFound(object: request.object)
        case 409 where reason == "AlreadyExists":
            return .alreadyExists(object: request.object)
        case 409:
            return .conflict(object: request.object, reason: message ?? "the object has been modified; read it again")
        case 422:
            let errors = causes.isEmpty
                ? [FieldError("", message ?? "the server refused the object (422 Invalid)")]
                : causes.map { FieldError(FieldPath($0.field), $0.message) }
            return .invalid(object: request.object, errors: errors)
        case 401:
            return .forbidden(
                reason: "the cluster did not accept kgate's credentials (401 Unauthorized) to \(request.verb) \(scope(request)); check the kubeconfig user's token, certificate or exec plugin")
        case 403:
            return .forbidden(reason: forbiddenReason(request))
        default:
            return .unavailable(reason: "the API server answered \(code) \(reason ?? "") to \(request.verb) \(scope(request))\(said)")
        }
    }

    private func scope(_ request: Request) -> String {
        request.namespace.isEmpty ? request.resource : "\(request.resource) in namespace \(request.namespace)"
    }

    /// Kubernetes' RBAC message is `… is forbidden: User "jane" cannot update resource
    /// "ingresses" in API group "networking.k8s.io" in the namespace "demo"`: the user,
    /// verb, resource and namespace are read from it, the request fills what it lacks.
    private func forbiddenReason(_ request: Request) -> String {
        guard let message else { return "you may not \(request.verb) \(scope(request)) (403 Forbidden)" }
        let user = between(message, "User \"", "\"") ?? between(message, "user \"", "\"")
        let verb = between(message, "cannot ", " resource") ?? request.verb
        let resource = between(message, "resource \"", "\"") ?? request.resource
        let namespace = between(message, "in the namespace \"", "\"") ?? request.namespace
        let who = user.map { "user \($0)" } ?? "you"
        let place = namespace.isEmpty ? "" : " in namespace \(namespace)"
        return "\(who) may not \(verb) \(resource)\(place) (403 Forbidden: \(message))"
    }

    private func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let open = text.range(of: start) else { return nil }
        guard let close = text.range(of: end, range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}

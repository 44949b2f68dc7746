import GatewayKit

/// Every place in the route editor that takes focus.
enum EditorField: Hashable, Sendable {
    case name, alias, description
    case mode(Int), scheme(Int), host(Int), secret(Int)
    case path(Int, Int), pathType(Int, Int), service(Int, Int), port(Int, Int)
    case annotationKey(Int), annotationValue(Int)
    case save

    /// The rule this field belongs to, if any.
    var rule: Int? {
        switch self {
        case .mode(let r), .scheme(let r), .host(let r), .secret(let r): r
        case .path(let r, _), .pathType(let r, _), .service(let r, _), .port(let r, _): r
        default: nil
        }
    }

    var pathIndex: (rule: Int, path: Int)? {
        switch self {
        case .path(let r, let p), .pathType(let r, let p), .service(let r, let p), .port(let r, let p): (r, p)
        default: nil
        }
    }

    var annotation: Int? {
        switch self {
        case .annotationKey(let i), .annotationValue(let i): i
        default: nil
        }
    }
}

/// One line of the editor form, top to bottom. Errors get a line of their own under the
/// line whose field they concern.
enum EditorLine: Hashable, Sendable {
    case heading(String)
    case text(EditorField)
    case ruleHeader(Int)
    /// A narrow terminal's rule header, mode and protocol on lines of their own.
    case ruleMode(Int)
    case ruleProtocol(Int)
    case host(Int)
    case secret(Int)
    case path(Int, Int)
    /// A narrow terminal's path line (path, pathType) and backend line (service, port).
    case pathOnly(Int, Int)
    case backend(Int, Int)
    case annotation(Int)
    case save
    case errors([String])
    case preview(place: String, target: String)
    /// One line of the live YAML preview.
    case yaml(String)
    case blank

    /// The fields on this line, in Tab order.
    func fields(_ draft: RouteDraft) -> [EditorField] {
        switch self {
        case .text(let field): [field]
        case .ruleHeader(let r): [.mode(r), .scheme(r)]
        case .ruleMode(let r): [.mode(r)]
        case .ruleProtocol(let r): [.scheme(r)]
        case .host(let r): draft.rules[r].mode == .specify ? [.host(r)] : []
        case .secret(let r): [.secret(r)]
        case .path(let r, let p): [.path(r, p), .pathType(r, p), .service(r, p), .port(r, p)]
        case .pathOnly(let r, let p): [.path(r, p), .pathType(r, p)]
        case .backend(let r, let p): [.service(r, p), .port(r, p)]
        case .annotation(let i): [.annotationKey(i), .annotationValue(i)]
        case .save: [.save]
        default: []
        }
    }
}

/// Where each field's errors go: a field path from `Validate.route` (or the form's own
/// checks) mapped to the field that shows it.
struct EditorErrors: Hashable, Sendable {
    var byField: [EditorField: [String]] = [:]
    /// Errors no field shows (`spec.rules`, labels): listed beside the Save button.
    var general: [String] = []
    var count = 0

    init() {}

    init(_ errors: [FieldError], draft: RouteDraft) {
        var seen = Set<String>()
        for error in errors where seen.insert(error.field.description).inserted {
            count += 1
            if let field = EditorErrors.field(for: error.field.description, draft: draft) {
                byField[field, default: []].append(error.reason)
            } else {
                general.append(error.description)
            }
        }
    }

    /// The first field with an error, in form order.
    func first(in order: [EditorField]) -> EditorField? { order.first { byField[$0] != nil } }

    static func field(for path: String, draft: RouteDraft) -> EditorField? {
        switch path {
        case "metadata.name": return .name
        case "metadata.annotations[\(KubeSphereAnnotation.alias)]": return .alias
        case "metadata.annotations[\(KubeSphereAnnotation.description)]": return .description
        default: break
        }
        if let key = bracketed(path, after: "metadata.annotations[") {
            return draft.annotations.firstIndex { $0.key.text == key }.map { .annotationKey($0) }
        }
        if let (k, rest) = index(path, after: "spec.tls[") {
            let rules = draft.tlsRules
            guard rules.indices.contains(k) else { return nil }
            return rest.hasPrefix(".hosts") ? .host(rules[k]) : .secret(rules[k])
        }
        guard let (r, rest) = index(path, after: "spec.rules["), draft.rules.indices.contains(r) else { return nil }
        guard let (p, field) = index(rest, after: ".http.paths["), draft.rules[r].paths.indices.contains(p) else {
            return .host(r)
        }
        if field.hasPrefix(".pathType") { return .pathType(r, p) }
        if field.hasPrefix(".backend.service.port") { return .port(r, p) }
        if field.hasPrefix(".backend") { return .service(r, p) }
        return .path(r, p)
    }

    /// `spec.rules[3].host` after `spec.rules[` → (3, ".host").
    private static func index(_ path: String, after prefix: String) -> (Int, String)? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard let close = rest.firstIndex(of: "]"), let value = Int(rest[rest.startIndex..<close]) else { return nil }
        return (value, String(rest[rest.index(after: close)...]))
    }

    /// `metadata.annotations[a/b]` after `metadata.annotations[` → `a/b`.
    private static func bracketed(_ path: String, after prefix: String) -> String? {
        guard path.hasPrefix(prefix), path.hasSuffix("]") else { return nil }
        return String(path.dropFirst(prefix.count).dropLast())
    }
}

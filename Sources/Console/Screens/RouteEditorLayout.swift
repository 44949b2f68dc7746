import GatewayKit

/// Every place in the route editor that takes focus.
enum EditorField: Hashable, Sendable {
    case name, alias, description
    case mode(Int), scheme(Int), host(Int), secret(Int)
    case path(Int, Int), pathType(Int, Int), service(Int, Int), port(Int, Int)
    case labelKey(Int), labelValue(Int)
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

    var label: Int? {
        switch self {
        case .labelKey(let i), .labelValue(let i): i
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
    case label(Int)
    case annotation(Int)
    case save
    /// One line of a field's error, wrapped to the width; `first` carries the mark.
    case error(String, first: Bool)
    case preview(place: String, target: String)
    /// One line of the live YAML preview.
    case yaml(String)
    case blank

    /// The fields whose errors go under this line: its own, and the host even in Auto
    /// Generate mode, where it takes no focus but can still be wrong.
    func errorFields(_ draft: RouteDraft) -> [EditorField] {
        if case .host(let r) = self { return [.host(r)] }
        return fields(draft)
    }

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
        case .label(let i): [.labelKey(i), .labelValue(i)]
        case .annotation(let i): [.annotationKey(i), .annotationValue(i)]
        case .save: [.save]
        default: []
        }
    }
}

/// Where each field's errors go: a field path from `Validate.route` (or the form's own
/// checks) mapped, segment by segment, to the field that shows it. A reason is shown once
/// per field, even when two paths carry it (with https a host is in a rule and in `tls`).
struct EditorErrors: Hashable, Sendable {
    var byField: [EditorField: [String]] = [:]
    /// Errors no field shows (`spec.rules`, say): listed beside the Save button.
    var general: [String] = []
    /// How many fields are invalid (an unplaced error counts as one).
    var count: Int { byField.count + general.count }

    init() {}

    init(_ errors: [FieldError], draft: RouteDraft) {
        for error in errors {
            if let field = EditorErrors.field(for: error.field, draft: draft) {
                if byField[field]?.contains(error.reason) != true { byField[field, default: []].append(error.reason) }
            } else if !general.contains(error.description) {
                general.append(error.description)
            }
        }
    }

    /// The first field with an error, in form order.
    func first(in order: [EditorField]) -> EditorField? { order.first { byField[$0] != nil } }

    static func field(for path: FieldPath, draft: RouteDraft) -> EditorField? {
        let segments = path.segments
        if segments == [.field("metadata"), .field("name")] { return .name }
        if let rest = path.relative(to: "metadata.annotations"), case .key(let key)? = rest.first {
            switch key {
            case KubeSphereAnnotation.alias: return .alias
            case KubeSphereAnnotation.description: return .description
            default: return draft.annotations.firstIndex { $0.key.text == key }.map { .annotationKey($0) }
            }
        }
        if let rest = path.relative(to: "metadata.labels"), case .key(let key)? = rest.first {
            return draft.labels.firstIndex { $0.key.text == key }.map { .labelKey($0) }
        }
        if let rest = path.relative(to: "spec.tls"), case .index(let k)? = rest.first {
            let rules = draft.tlsRules
            guard rules.indices.contains(k) else { return nil }
            return rest.dropFirst().first == .field("hosts") ? .host(rules[k]) : .secret(rules[k])
        }
        guard let rest = path.relative(to: "spec.rules"), case .index(let r)? = rest.first, draft.rules.indices.contains(r)
        else { return nil }
        let inRule = FieldPath(segments: Array(rest.dropFirst()))
        guard let inPath = inRule.relative(to: "http.paths"), case .index(let p)? = inPath.first,
            draft.rules[r].paths.indices.contains(p)
        else { return .host(r) }
        let field = FieldPath(segments: Array(inPath.dropFirst()))
        if field.isWithin("pathType") { return .pathType(r, p) }
        if field.isWithin("backend.service.port") { return .port(r, p) }
        if field.isWithin("backend") { return .service(r, p) }
        return .path(r, p)
    }
}

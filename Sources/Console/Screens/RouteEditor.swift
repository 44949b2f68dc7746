import GatewayKit
import Terminal

/// The route editor, for a new route and an existing one: every field validated as it is
/// typed (`Validate.route` plus the form's own checks), errors under their fields, a live
/// preview of the URLs; saving is refused while anything is invalid.
struct RouteEditor: ConsoleScreen {
    var project: String
    /// The stored route being edited (its resourceVersion is the one a save expects); nil
    /// while creating.
    var original: Route?
    var context: EditorContext
    /// The paths the project's other routes claim, made on load: each edit checks the
    /// route's own paths against them (`builtConflicts`), not the whole project again.
    var claims: PathConflicts.Claims
    var draft: RouteDraft
    private var initialDraft: RouteDraft
    var focus: EditorField
    var scroll = 0
    var errors = EditorErrors()
    /// The route as the draft stands, validated and previewed.
    var built: Route
    /// `built` as YAML, rendered once per edit (not once per frame or per `lines` call).
    private(set) var yamlPreview: [String] = []
    /// Paths of `built` that another route serves: the preview says so instead of a URL.
    private(set) var builtConflicts = PathConflicts()
    var saving = false
    /// A save met a conflict; `R` takes the stored version and keeps the draft.
    var conflict = false
    var rebasePending = false
    /// Errors the store gave on the last save (a 422's field causes), until the next edit.
    var storeErrors: [FieldError] = []
    /// On a narrow terminal a path's backend goes on a line of its own, so that the
    /// service and port pickers stay on screen.
    var narrow = false
    /// Columns the form has, for wrapping long errors under their field.
    var width = 80

    static func isNarrow(_ size: Size) -> Bool { size.columns < 64 }

    init(project: String, editing route: Route?, state: ConsoleState) {
        self.project = project
        original = route
        let context = EditorContext(project: project, state: state)
        claims = RouteEditor.projectClaims(project: project, state: state)
        let draft = route.map { RouteDraft(route: $0, context: context) } ?? RouteDraft(context: context)
        self.context = context
        self.draft = draft
        initialDraft = draft
        focus = route == nil ? .name : .alias
        narrow = RouteEditor.isNarrow(state.size)
        width = state.size.columns
        built = draft.route(context: context, original: route)
        revalidate()
    }

    static func projectClaims(project: String, state: ConsoleState) -> PathConflicts.Claims {
        PathConflicts.Claims(
            routes: state.catalog.routes(project: project), servedClass: state.catalog.gatewayView(project: project)?.ingressClass)
    }

    var isEdit: Bool { original != nil }
    var isDirty: Bool { draft != initialDraft }

    mutating func revalidate() {
        built = draft.route(context: context, original: original)
        yamlPreview = ManifestRenderer.yaml([.route(built)]).split(separator: "\n").map(String.init)
        builtConflicts = claims.conflicts(of: built)
        errors = EditorErrors(storeErrors + Validate.route(built) + formErrors(), draft: draft)
    }

    /// What the form knows beyond the API's rules: a host to generate, a pick not made.
    private func formErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if draft.name.text.isEmpty { errors.append(FieldError("metadata.name", "is required")) }
        // KubeSphere's form rule (no '.'); an existing route keeps the name it has.
        if !isEdit, !draft.name.text.isEmpty { errors += Validate.routeName(draft.name.text).map { FieldError("metadata.name", $0) } }
        if draft.rules.isEmpty { errors.append(FieldError("spec.rules", "a route needs at least one rule")) }
        let rules = FieldPath("spec.rules")
        for (r, rule) in draft.rules.enumerated() {
            switch rule.mode {
            case .auto where draft.host(of: rule, context: context).isEmpty:
                errors.append(
                    FieldError(rules.index(r).child("host"), "the gateway has no address to generate a host from: set the gateway or specify a domain"))
            case .specify where rule.host.text.isEmpty:
                errors.append(FieldError(rules.index(r).child("host"), "is required"))
            default: break
            }
            for (p, path) in rule.paths.enumerated() {
                let backend = rules.index(r).child("http").child("paths").index(p).child("backend").child("service")
                if path.service.isEmpty { errors.append(FieldError(backend.child("name"), "pick a service")) }
                if path.portText.isEmpty { errors.append(FieldError(backend.child("port").child("number"), "pick a port")) }
            }
        }
        for (k, r) in draft.tlsRules.enumerated() where draft.rules[r].secret.isEmpty {
            let reason = context.secrets.isEmpty ? "the project has no TLS secret" : "pick a TLS secret"
            errors.append(FieldError(FieldPath("spec.tls").index(k).child("secretName"), reason))
        }
        var keys = Set<String>()
        for field in draft.annotations where !field.key.text.isEmpty && !keys.insert(field.key.text).inserted {
            errors.append(FieldError(FieldPath("metadata.annotations").key(field.key.text), "duplicate key"))
        }
        var labelKeys = Set<String>()
        for field in draft.labels where !field.key.text.isEmpty && !labelKeys.insert(field.key.text).inserted {
            errors.append(FieldError(FieldPath("metadata.labels").key(field.key.text), "duplicate key"))
        }
        return errors
    }

    /// The form, line by line (the view draws these; keys use them for focus order).
    var lines: [EditorLine] {
        var lines: [EditorLine] = []
        // Errors go under their line, each reason once, wrapped to the room beside the labels.
        let errorWidth = max(20, width - 2 - RouteEditor.labelWidth - 2)
        func addErrors(_ reasons: [String]) {
            for reason in reasons {
                for (index, part) in TextWrap.lines(reason, width: errorWidth).enumerated() {
                    lines.append(.error(part, first: index == 0))
                }
            }
        }
        func add(_ line: EditorLine) {
            lines.append(line)
            var reasons: [String] = []
            for field in line.errorFields(draft) {
                for reason in errors.byField[field] ?? [] where !reasons.contains(reason) { reasons.append(reason) }
            }
            addErrors(reasons)
        }
        add(.text(.name))
        add(.text(.alias))
        add(.text(.description))
        for r in draft.rules.indices {
            lines.append(.blank)
            if narrow {
                add(.ruleMode(r))
                add(.ruleProtocol(r))
            } else {
                add(.ruleHeader(r))
            }
            add(.host(r))
            if draft.rules[r].https { add(.secret(r)) }
            for p in draft.rules[r].paths.indices {
                if narrow {
                    add(.pathOnly(r, p))
                    add(.backend(r, p))
                } else {
                    add(.path(r, p))
                }
            }
        }
        // KubeSphere's Advanced step: labels, then annotations.
        lines.append(.blank)
        lines.append(.heading(draft.labels.isEmpty ? "Labels  (^L adds one)" : "Labels"))
        for i in draft.labels.indices { add(.label(i)) }
        lines.append(.heading("Annotations"))
        for i in draft.annotations.indices { add(.annotation(i)) }
        lines.append(.blank)
        lines.append(.save)
        addErrors(errors.general)
        lines.append(.blank)
        lines.append(.heading("Access URLs"))
        // A host with an error has no URL yet: showing one would mislead.
        let invalidHosts = Set(draft.rules.indices.filter { errors.byField[.host($0)] != nil }.map { built.rules[$0].host })
        for access in AccessURL.all(route: built, gateway: context.gateway, conflicts: builtConflicts)
        where !invalidHosts.contains(access.host) {
            let place = access.url ?? "\(access.host.isEmpty ? "*" : access.host)\(access.path) (\(access.notServed ?? "gateway not ready"))"
            lines.append(.preview(place: place, target: "\(access.service):\(access.port)"))
        }
        // The Ingress as it will be stored, live: what `kubectl get -o yaml` would show.
        lines.append(.blank)
        lines.append(.heading("YAML"))
        lines += yamlPreview.map(EditorLine.yaml)
        return lines
    }

    var focusOrder: [EditorField] {
        lines.flatMap { $0.fields(draft) }.filter { !(isEdit && $0 == .name) }
    }

    mutating func moveFocus(by delta: Int) {
        let order = focusOrder
        guard !order.isEmpty else { return }
        let current = order.firstIndex(of: focus) ?? 0
        focus = order[(current + delta + order.count) % order.count]
    }

    /// Keeps the focus on a field that exists after rules, paths or annotations went away.
    mutating func repairFocus() {
        let order = focusOrder
        if !order.contains(focus) { focus = order.first ?? .save }
    }

    /// Scrolls so the focused line (and its error line) is in `height` rows.
    mutating func scrollToFocus(height: Int) {
        let lines = self.lines
        guard let line = lines.firstIndex(where: { $0.fields(draft).contains(focus) }) else { return }
        var last = line
        while last + 1 < lines.count, case .error(_, first: _) = lines[last + 1] { last += 1 }
        if line < scroll { scroll = line }
        if last >= scroll + height { scroll = last - height + 1 }
        scroll = max(0, min(scroll, max(0, lines.count - height)))
    }
}

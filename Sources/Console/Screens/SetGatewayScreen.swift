import GatewayKit
import Terminal

/// Set Gateway: the access method picker (NodePort / LoadBalancer), the provider preset
/// for LoadBalancer, the Service annotations and the governance toggle.
///
/// NodePort is highlighted for a new gateway, so `s`, Enter sets one in two keys.
struct SetGatewayScreen: ConsoleScreen {
    enum Focus: Hashable, Sendable {
        case type, provider, annotationKey(Int), annotationValue(Int), governance
    }

    var project: String
    var type: GatewayType
    var preset = 0
    var annotations: [AnnotationField]
    var governance: Bool
    var focus = Focus.type
    /// The version edited; nil for a new gateway. Sent so a concurrent change is a conflict.
    var baseResourceVersion: String?
    var isEdit: Bool
    var saving = false
    /// A save met a conflict: `R` takes the stored version and keeps the choices.
    var conflict = false
    var rebasePending = false

    init(project: String, gateway: Gateway?) {
        self.project = project
        type = gateway?.type ?? .nodePort
        let current = (gateway?.annotations ?? [:]).filter { $0.key != KubeSphereAnnotation.governance }
        annotations = current.sorted { $0.key < $1.key }.map { AnnotationField(key: $0.key, value: $0.value) }
        preset = type == .loadBalancer ? LoadBalancerPreset.matching(current) : 0
        governance = gateway?.governance ?? false
        baseResourceVersion = gateway?.resourceVersion
        isEdit = gateway != nil
    }

    static let explanations: [GatewayType: String] = [
        .nodePort: "The gateway can access the service through {$IP}:{$Nodeport}.",
        .loadBalancer: "The gateway can be accessed through an external network IP.",
    ]

    var request: GatewayRequest {
        var map: [String: String] = [:]
        for field in annotations where !field.key.text.isEmpty { map[field.key.text] = field.value.text }
        return GatewayRequest(
            project: project, type: type, annotations: map, governance: governance,
            expectedResourceVersion: isEdit ? baseResourceVersion : nil)
    }

    /// Every focusable place, in Tab order.
    var focusOrder: [Focus] {
        var order: [Focus] = [.type]
        if type == .loadBalancer { order.append(.provider) }
        for index in annotations.indices { order += [.annotationKey(index), .annotationValue(index)] }
        order.append(.governance)
        return order
    }

    mutating func moveFocus(by delta: Int) {
        let order = focusOrder
        let current = order.firstIndex(of: focus) ?? 0
        focus = order[(current + delta + order.count) % order.count]
    }

    /// Replaces the old preset's annotations by the new one's, keeping the operator's own.
    mutating func applyPreset(_ index: Int) {
        let old = Set(LoadBalancerPreset.all[preset].annotations.map(\.key))
        annotations.removeAll { old.contains($0.key.text) }
        preset = index
        let present = Set(annotations.map(\.key.text))
        for entry in LoadBalancerPreset.all[index].annotations where !present.contains(entry.key) {
            annotations.append(AnnotationField(key: entry.key, value: entry.value))
        }
    }

    var isTyping: Bool {
        switch focus {
        case .annotationKey, .annotationValue: true
        default: false
        }
    }
}

/// An editable `key = value` pair: an annotation or a label.
struct AnnotationField: Hashable, Sendable {
    var key: TextField
    var value: TextField

    init(key: String, value: String) {
        self.key = TextField(key)
        self.value = TextField(value)
    }
}

extension SetGatewayScreen {
    var id: ScreenID { .setGateway }

    func crumbs(_ state: ConsoleState) -> [String] { [isEdit ? "Edit Gateway" : "Set Gateway"] }

    func bindings(_ state: ConsoleState) -> [KeyBinding<SetGatewayScreen>] {
        let focused: KeyBinding<SetGatewayScreen>.Action = { form, _, key in
            SetGatewayScreen.handleFocused(key, &form)
            return []
        }
        var bindings: [KeyBinding<SetGatewayScreen>] = []
        if conflict {
            bindings.append(
                KeyBinding([.character("R")], "reload") { form, state, _ in
                    form.conflict = false
                    form.rebasePending = true
                    state.flash = .info("Reloading the stored gateway; your choices are kept.")
                    return [.load]
                })
        }
        bindings += [
            KeyBinding([.enter], more: [.ctrl("s"), .function(2)], "save", writes: true) { form, state, _ in
                SetGatewayScreen.save(&form, &state)
            },
            KeyBinding([.escape], "cancel") { _, state, _ in
                state.back()
                return []
            },
            KeyBinding([.up, .down], more: [.character("k"), .character("j")], "choose", action: focused),
            KeyBinding([.tab], more: [.backTab], "next field", action: { form, _, key in
                form.moveFocus(by: key == .tab ? 1 : -1)
                return []
            }),
            KeyBinding([.ctrl("n")], "add annotation") { form, _, _ in
                form.annotations.append(AnnotationField(key: "", value: ""))
                form.focus = .annotationKey(form.annotations.count - 1)
                return []
            },
            KeyBinding([.ctrl("d")], "remove annotation") { form, _, _ in
                if case .annotationKey(let i) = form.focus { form.removeAnnotation(i) }
                if case .annotationValue(let i) = form.focus { form.removeAnnotation(i) }
                return []
            },
            .helpF1(footer: true),
        ]
        if isTyping {
            bindings += TextField.editingBindings { form, state, key in form.handleUnbound(key, &state) }
        } else {
            bindings += [
                KeyBinding([.character(" ")], "toggle", footer: false, action: focused),
                KeyBinding([.left, .right], more: [.character("h"), .character("l")], "change the choice", footer: false, action: focused),
                .help(footer: false), .jump,
            ]
        }
        return bindings + [.interrupt]
    }

    /// Text typed into the focused annotation field.
    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        switch focus {
        case .annotationKey(let i): _ = annotations[i].key.handle(key)
        case .annotationValue(let i): _ = annotations[i].value.handle(key)
        default: break
        }
        return []
    }

    private static func handleFocused(_ key: Key, _ form: inout SetGatewayScreen) {
        switch form.focus {
        case .type:
            switch key {
            case .up, .character("k"), .left: form.type = .nodePort
            case .down, .character("j"), .right: form.type = .loadBalancer
            case .character(" "): form.type = form.type == .nodePort ? .loadBalancer : .nodePort
            default: break
            }
        case .provider:
            let count = LoadBalancerPreset.all.count
            switch key {
            case .right, .character(" "), .character("l"): form.applyPreset((form.preset + 1) % count)
            case .left, .character("h"): form.applyPreset((form.preset + count - 1) % count)
            case .up, .character("k"): form.moveFocus(by: -1)
            case .down, .character("j"): form.moveFocus(by: 1)
            default: break
            }
        case .annotationKey(let i):
            if !form.annotations[i].key.handle(key) { arrowMoves(key, &form) }
        case .annotationValue(let i):
            if !form.annotations[i].value.handle(key) { arrowMoves(key, &form) }
        case .governance:
            switch key {
            case .character(" "), .left, .right: form.governance.toggle()
            case .up, .character("k"): form.moveFocus(by: -1)
            default: break
            }
        }
    }

    private static func arrowMoves(_ key: Key, _ form: inout SetGatewayScreen) {
        if key == .up { form.moveFocus(by: -1) }
        if key == .down { form.moveFocus(by: 1) }
    }

    private mutating func removeAnnotation(_ index: Int) {
        guard annotations.indices.contains(index) else { return }
        annotations.remove(at: index)
        focus = annotations.isEmpty ? .governance : .annotationKey(min(index, annotations.count - 1))
    }

    private static func save(_ form: inout SetGatewayScreen, _ state: inout ConsoleState) -> [Effect] {
        guard !form.saving else { return [] }
        let keys = form.annotations.map(\.key.text).filter { !$0.isEmpty }
        if Set(keys).count != keys.count {
            state.flash = .error("Two annotations have the same key.")
            return []
        }
        form.saving = true
        state.flash = .info("Saving the gateway…")
        return [.setGateway(form.request)]
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let form = self
        let theme = state.theme
        let g = theme.glyphs
        var lines: [(DocumentLine, TextTarget?)] = []
        lines.append((DocumentLine(form.isEdit ? "Edit Gateway" : "Set Gateway", theme.heading, indent: 1), nil))
        lines.append((DocumentLine("Access Method", theme.label, indent: 1), nil))
        for type in GatewayType.allCases {
            let chosen = form.type == type
            let mark = chosen ? g.radioOn : g.radioOff
            let style = chosen && form.focus == .type ? theme.focused : (chosen ? theme.heading : theme.plain)
            lines.append((DocumentLine([Span("\(mark) \(type.rawValue)", style)], indent: 3), nil))
            lines.append((DocumentLine(SetGatewayScreen.explanations[type] ?? "", theme.dim, indent: 7), nil))
        }
        if form.type == .loadBalancer {
            let name = LoadBalancerPreset.all[form.preset].name
            let style = form.focus == .provider ? theme.focused : theme.plain
            lines.append(
                (DocumentLine([Span("Provider  ", theme.label), Span("\(g.pickerOpen) \(name) \(g.pickerClose)", style)], indent: 1), nil))
        }
        lines.append((DocumentLine("Annotations" + (form.annotations.isEmpty ? "  (^N adds one)" : ""), theme.label, indent: 1), nil))
        for index in form.annotations.indices {
            lines.append((DocumentLine([], indent: 3), .annotation(index)))
        }
        let toggle = form.governance ? "[x] On" : "[ ] Off"
        lines.append(
            (DocumentLine(
                [Span("Application Governance  ", theme.label), Span(toggle, form.focus == .governance ? theme.focused : theme.plain)],
                indent: 1), nil))
        if form.saving { lines.append((DocumentLine("Saving…", theme.dim, indent: 1), nil)) }

        // Keep the focused line in view: scroll so the focus is on the last row at worst.
        let focusLine = lines.firstIndex { line in
            switch (line.1, form.focus) {
            case (.annotation(let i), .annotationKey(let j)), (.annotation(let i), .annotationValue(let j)): i == j
            default: false
            }
        } ?? 0
        let offset = max(0, focusLine - rect.height + 1)
        for (row, line) in lines.dropFirst(offset).prefix(rect.height).enumerated() {
            let y = rect.y + row
            Document.draw([line.0], offset: 0, in: Rect(x: rect.x, y: y, width: rect.width, height: 1), screen: &screen, theme: theme)
            if case .annotation(let index)? = line.1 {
                SetGatewayScreen.drawAnnotation(form, index: index, x: rect.x + 3, y: y, width: rect.width - 4, screen: &screen, theme: theme)
            }
        }
    }

    private enum TextTarget { case annotation(Int) }

    private static func drawAnnotation(
        _ form: SetGatewayScreen, index: Int, x: Int, y: Int, width: Int, screen: inout Screen, theme: Theme
    ) {
        // Provider keys run to 58 columns; values are short.
        let valueWidth = max(6, min(20, width / 5))
        let keyWidth = max(4, width - valueWidth - 3)
        let field = form.annotations[index]
        let keyFocused = form.focus == .annotationKey(index)
        let valueFocused = form.focus == .annotationValue(index)
        field.key.draw(
            x: x, y: y, width: keyWidth, style: keyFocused ? theme.focused : theme.field, focused: keyFocused,
            screen: &screen, theme: theme)
        screen.put(" = ", x: x + keyWidth, y: y)
        field.value.draw(
            x: x + keyWidth + 3, y: y, width: valueWidth, style: valueFocused ? theme.focused : theme.field,
            focused: valueFocused, screen: &screen, theme: theme)
    }
}

extension ScreenID {
    static let setGateway = ScreenID(title: "Set Gateway")
}

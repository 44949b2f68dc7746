import GatewayKit
import Terminal

/// The route editor's keys: Tab/Shift-Tab and ↑/↓ between fields, typing in text fields,
/// ←/→ or Space on a pick, ^N add (path, or annotation), ^R add rule, ^D remove, ^S/F2 save,
/// PgDn/PgUp to read the previews.
extension RouteEditor {
    var id: ScreenID { .routeEditor }

    func crumbs(_ state: ConsoleState) -> [String] { [isEdit ? "Edit \(original?.name ?? "")" : "New Route"] }

    /// Typing in a text field (the name only while creating).
    var isTyping: Bool {
        switch focus {
        case .name: !isEdit
        case .alias, .description, .host, .path, .labelKey, .labelValue, .annotationKey, .annotationValue: true
        default: false
        }
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<RouteEditor>] {
        let apply: KeyBinding<RouteEditor>.Action = { editor, state, key in
            editor.apply(key, &state)
            return []
        }
        var bindings: [KeyBinding<RouteEditor>] = []
        if conflict {
            bindings.append(
                KeyBinding([.character("R")], "reload", evenWhileTyping: true) { editor, state, _ in
                    editor.conflict = false
                    editor.rebasePending = true
                    state.flash = .info("Reloading the stored route; what you typed is kept.")
                    return [.load]
                })
        }
        bindings += [
            KeyBinding([.ctrl("s")], more: [.function(2)], "save", writes: true) { editor, state, _ in
                RouteEditor.save(&editor, &state)
            },
            KeyBinding([.tab], more: [.backTab], "next field", action: apply),
            KeyBinding([.up, .down], "previous/next field", footer: false, action: apply),
            KeyBinding([.enter], "next field; on Save, save", footer: false) { editor, state, key in
                guard editor.focus == .save else {
                    editor.apply(key, &state)
                    return []
                }
                return RouteEditor.save(&editor, &state)
            },
        ]
        if !isTyping {
            bindings.append(KeyBinding([.left, .right], more: [.character("h"), .character("l"), .character(" ")], "choose", action: apply))
        }
        bindings += [
            KeyBinding([.ctrl("n")], addHelp, action: apply),
            KeyBinding([.ctrl("r")], "add rule", footer: false, action: apply),
            KeyBinding([.ctrl("l")], "add label", footer: false, action: apply),
            KeyBinding([.ctrl("d")], "remove", action: apply),
            KeyBinding([.escape], "cancel") { editor, state, _ in
                if editor.isDirty {
                    state.overlay = .confirm(Confirmation(prompt: "Discard the changes to this route?", action: .discardRouteEdits))
                } else {
                    state.back()
                }
                return []
            },
            KeyBinding([.pageDown, .pageUp], "read the URL and YAML previews", footer: false) { editor, state, key in
                // Reads on (the previews below the form) without moving the focus.
                let height = state.bodyHeight
                let step = key == .pageDown ? max(1, height - 2) : -max(1, height - 2)
                editor.scroll = max(0, min(editor.scroll + step, max(0, editor.lines.count - height)))
                return []
            },
            .helpF1(footer: true),
        ]
        if isTyping {
            bindings += TextField.editingBindings(apply)
        } else {
            bindings.append(.help(footer: false))
        }
        return bindings + [.interrupt]
    }

    /// What ^N adds where the focus is.
    private var addHelp: String {
        if focus.label != nil { return "add label" }
        if focus.annotation != nil || focus == .save { return "add annotation" }
        return focus.rule != nil ? "add path" : "add rule"
    }

    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        apply(key, &state)
        return []
    }

    mutating func resized(_ state: ConsoleState) {
        narrow = RouteEditor.isNarrow(state.size)
        scrollToFocus(height: state.bodyHeight)
    }

    mutating func refresh(_ state: ConsoleState) {
        context = EditorContext(project: project, state: state)
        claims = RouteEditor.projectClaims(project: project, state: state)
        revalidate()
    }

    /// A key that edits: the form changes, the focus stays on a field that exists and in view.
    private mutating func apply(_ key: Key, _ state: inout ConsoleState) {
        edit(key, state: &state)
        repairFocus()
        scrollToFocus(height: state.bodyHeight)
    }

    private mutating func edit(_ key: Key, state: inout ConsoleState) {
        switch key {
        case .tab, .enter: moveFocus(by: 1)
        case .backTab: moveFocus(by: -1)
        case .up: moveFocus(by: -1)
        case .down: moveFocus(by: 1)
        case .ctrl("n"): add()
        case .ctrl("l"): addLabel()
        case .ctrl("r"): addRule()
        case .ctrl("d"): remove(state: &state)
        default:
            if editText(key) || choose(key) {
                storeErrors = []
                revalidate()
            }
            return
        }
        revalidate()
    }

    /// Typing into the focused text field; false when the focus is not a text field or
    /// the key is not an editing key.
    private mutating func editText(_ key: Key) -> Bool {
        switch focus {
        case .name where !isEdit: return draft.name.handle(key)
        case .alias: return draft.alias.handle(key)
        case .description: return draft.description.handle(key)
        case .host(let r): return draft.rules[r].host.handle(key)
        case .path(let r, let p): return draft.rules[r].paths[p].path.handle(key)
        case .labelKey(let i): return draft.labels[i].key.handle(key)
        case .labelValue(let i): return draft.labels[i].value.handle(key)
        case .annotationKey(let i): return draft.annotations[i].key.handle(key)
        case .annotationValue(let i): return draft.annotations[i].value.handle(key)
        default: return false
        }
    }

    /// ←/→ (or h/l, Space) on a pick: the previous or next choice.
    private mutating func choose(_ key: Key) -> Bool {
        let step: Int
        switch key {
        case .right, .character(" "), .character("l"): step = 1
        case .left, .character("h"): step = -1
        default: return false
        }
        switch focus {
        case .mode(let r):
            let rule = draft.rules[r]
            if rule.mode == .auto {
                // The generated host is no domain of the operator's: the field starts empty
                // (a domain typed before is kept).
                let generated = draft.host(of: rule, context: context)
                if rule.host.text == generated || AutoDomain.parse(rule.host.text, project: project) != nil {
                    draft.rules[r].host = TextField()
                }
                draft.rules[r].mode = .specify
            } else {
                draft.rules[r].mode = .auto
            }
        case .scheme(let r): draft.rules[r].https.toggle()
        case .secret(let r):
            draft.rules[r].secret = cycle(context.secrets, current: draft.rules[r].secret, step: step)
        case .pathType(let r, let p):
            let order: [PathType] = [.implementationSpecific, .prefix, .exact]
            let index = order.firstIndex(of: draft.rules[r].paths[p].pathType) ?? 0
            draft.rules[r].paths[p].pathType = order[(index + step + order.count) % order.count]
        case .service(let r, let p):
            let current = draft.rules[r].paths[p].service
            let chosen = cycle(context.services.map(\.name), current: current, step: step)
            guard chosen != current else { return true }
            draft.rules[r].paths[p].service = chosen
            // A new service means its ports: take the first.
            draft.rules[r].paths[p].portNumber = context.service(named: chosen)?.ports.first?.port
            draft.rules[r].paths[p].portName = nil
        case .port(let r, let p):
            let path = draft.rules[r].paths[p]
            let ports = context.service(named: path.service)?.ports.map { String($0.port) } ?? []
            let chosen = cycle(ports, current: path.portText, step: step)
            if let number = Int(chosen) {
                draft.rules[r].paths[p].portNumber = number
                draft.rules[r].paths[p].portName = nil
            }
        default:
            return false
        }
        return true
    }

    /// The option `step` away from `current`; `current` counts as an option while it is not
    /// one of them (a service deleted since), so it is never lost by accident.
    private func cycle(_ options: [String], current: String, step: Int) -> String {
        var all = options
        if !current.isEmpty, !all.contains(current) { all.insert(current, at: 0) }
        guard !all.isEmpty else { return current }
        let index = all.firstIndex(of: current) ?? -1
        return all[((index + step) % all.count + all.count) % all.count]
    }

    /// ^N: a label in the labels, a path in the focused rule, an annotation in the
    /// annotations, else a rule.
    private mutating func add() {
        if focus.label != nil {
            addLabel()
        } else if focus.annotation != nil || focus == .save {
            draft.annotations.append(AnnotationField(key: "", value: ""))
            focus = .annotationKey(draft.annotations.count - 1)
        } else if let r = focus.rule {
            var path = PathDraft(context: context)
            if let last = draft.rules[r].paths.last {
                // Same backend as the path above: the usual next step is another path to it.
                path.service = last.service
                path.portNumber = last.portNumber
                path.portName = last.portName
            }
            draft.rules[r].paths.append(path)
            focus = .path(r, draft.rules[r].paths.count - 1)
        } else {
            addRule()
        }
    }

    private mutating func addLabel() {
        draft.labels.append(AnnotationField(key: "", value: ""))
        focus = .labelKey(draft.labels.count - 1)
    }

    private mutating func addRule() {
        draft.rules.append(RuleDraft(context: context))
        focus = .mode(draft.rules.count - 1)
    }

    /// ^D: the focused annotation, path, or rule (a route keeps at least one rule and a rule
    /// at least one path).
    private mutating func remove(state: inout ConsoleState) {
        if let i = focus.label {
            draft.labels.remove(at: i)
            focus = draft.labels.isEmpty ? .save : .labelKey(min(i, draft.labels.count - 1))
        } else if let i = focus.annotation {
            draft.annotations.remove(at: i)
            focus = draft.annotations.isEmpty ? .save : .annotationKey(min(i, draft.annotations.count - 1))
        } else if let (r, p) = focus.pathIndex, draft.rules[r].paths.count > 1 {
            draft.rules[r].paths.remove(at: p)
            focus = .path(r, min(p, draft.rules[r].paths.count - 1))
        } else if let r = focus.rule {
            guard draft.rules.count > 1 else {
                state.flash = .error("A route needs at least one rule.")
                return
            }
            draft.rules.remove(at: r)
            focus = .mode(min(r, draft.rules.count - 1))
        }
    }

    private static func save(_ editor: inout RouteEditor, _ state: inout ConsoleState) -> [Effect] {
        guard !state.refusesWrite("saving routes") else { return [] }
        guard !editor.saving else { return [] }
        editor.revalidate()
        guard editor.errors.count == 0 else {
            let first = editor.errors.first(in: editor.focusOrder)
            if let first { editor.focus = first }
            editor.scrollToFocus(height: state.bodyHeight)
            let count = editor.errors.count
            state.flash = .error("Not saved: \(Plural.count(count, "field")) \(Plural.verb(count, one: "is", many: "are")) invalid; fix \(count == 1 ? "it" : "them") first.")
            return []
        }
        editor.saving = true
        state.flash = .info("Saving route \(editor.built.name)…")
        return [editor.isEdit ? .updateRoute(editor.built) : .createRoute(editor.built)]
    }

    /// After `R`: the stored route's version becomes the one a save expects; the draft stays.
    mutating func rebase(on stored: Route?) -> Flash {
        rebasePending = false
        guard let name = original?.name else { return .info("Reloaded.") }
        guard let stored else {
            original = nil
            revalidate()
            return .info("Route \(name) was deleted meanwhile: ^S creates it again with what you typed.")
        }
        original = stored
        revalidate()
        return .info("Reloaded route \(name): your changes are kept; ^S saves them over the stored version.")
    }
}

extension ScreenID {
    static let routeEditor = ScreenID(title: "Route")
}

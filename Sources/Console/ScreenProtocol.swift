import Terminal

/// One screen of the console: its state, its key bindings and its view together. The
/// console keeps a stack of screens and gives keys to the top one; adding a screen is its
/// file plus the place that opens it.
protocol ConsoleScreen: Sendable {
    /// Which screen this is (`state.top == .routes`) and the title of its `?` help.
    var id: ScreenID { get }
    /// Its steps in the header's path (`demo (网关演示)`, `Internet Access`).
    func crumbs(_ state: ConsoleState) -> [String]
    /// Whether keys go into a text field: then printable characters are text, not
    /// commands, and `F1` is the help.
    var isTyping: Bool { get }
    /// The keys in force now, each with its help and action: the one table that both the
    /// key handling and the footer and `?` help are made from.
    func bindings(_ state: ConsoleState) -> [KeyBinding<Self>]
    /// A key no binding takes: the text of a field, usually.
    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect]
    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen)
    /// After a load: take the new objects in, keeping selections and what was typed.
    mutating func refresh(_ state: ConsoleState)
    /// After a resize.
    mutating func resized(_ state: ConsoleState)
}

extension ConsoleScreen {
    func crumbs(_ state: ConsoleState) -> [String] { [id.title] }
    var isTyping: Bool { false }
    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect] { [] }
    mutating func refresh(_ state: ConsoleState) {}
    mutating func resized(_ state: ConsoleState) {}

    /// The bindings in force: while typing, printable characters belong to the field, so
    /// bindings lose them (and those left with no key go away).
    func activeBindings(_ state: ConsoleState) -> [KeyBinding<Self>] {
        let all = bindings(state)
        guard isTyping else { return all }
        return all.compactMap { $0.whileTyping() }
    }

    /// The binding a key runs: the first that lists it.
    func binding(for key: Key, _ state: ConsoleState) -> KeyBinding<Self>? {
        activeBindings(state).first { $0.handles(key) }
    }

    /// Runs the key's binding, or gives the key to `handleUnbound`.
    mutating func handle(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard let binding = binding(for: key, state) else { return handleUnbound(key, &state) }
        // Write keys are hidden in read-only mode; pressed anyway, they say why nothing happens.
        if binding.writes, state.refusesWrite(binding.help) { return [] }
        return binding.action(&self, &state, key)
    }

    /// Each binding in force as (keys, help), and the help of the binding a key runs: what
    /// a test needs to check that the table and the keys agree.
    func bindingTable(_ state: ConsoleState) -> [(keys: [Key], help: String)] {
        activeBindings(state).map { ($0.allKeys, $0.help) }
    }
    func helpOfBinding(for key: Key, _ state: ConsoleState) -> String? { binding(for: key, state)?.help }

    /// The bindings as the footer and the help show them (write keys hidden when read-only).
    func hints(_ state: ConsoleState) -> [KeyHint] {
        // A closure, not `\.hint`: a key path into a generic type is made at run time, each frame.
        activeBindings(state).filter { !(state.readOnly && $0.writes) }.map { $0.hint }
    }
}

/// Names a screen. Each screen's file declares its own (`extension ScreenID { static let
/// routes = … }`), so no list of screens exists to keep in step.
struct ScreenID: Hashable, Sendable {
    var title: String
}

/// Keys, what they do in words, and the action: one row of a screen's table.
struct KeyBinding<Owner>: Sendable {
    typealias Action = @Sendable (inout Owner, inout ConsoleState, Key) -> [Effect]

    /// Shown in the footer and the help.
    var keys: [Key]
    /// Also handled, shown in the help only (the footer stays short).
    var moreKeys: [Key] = []
    var help: String
    /// A key that writes to the store: hidden and off in read-only mode.
    var writes = false
    /// Shown in the footer (the help lists every binding).
    var footer = true
    /// Kept by the footer at any width (`? help`, `q quit`).
    var essential = false
    /// Taken even while typing, although it is a printable character (R on a conflict).
    var evenWhileTyping = false
    var action: Action

    init(
        _ keys: [Key], more: [Key] = [], _ help: String, writes: Bool = false, footer: Bool = true, essential: Bool = false,
        evenWhileTyping: Bool = false, action: @escaping Action
    ) {
        self.keys = keys
        self.moreKeys = more
        self.help = help
        self.writes = writes
        self.footer = footer
        self.essential = essential
        self.evenWhileTyping = evenWhileTyping
        self.action = action
    }

    var allKeys: [Key] { keys + moreKeys }
    func handles(_ key: Key) -> Bool { allKeys.contains(key) }

    var hint: KeyHint {
        KeyHint(
            key: KeyNames.label(keys.isEmpty ? moreKeys : keys), helpKey: KeyNames.label(allKeys), label: help,
            writes: writes, footer: footer && !keys.isEmpty, essential: essential)
    }

    /// This binding without its printable keys, or nil when none is left.
    func whileTyping() -> KeyBinding? {
        guard !evenWhileTyping else { return self }
        var copy = self
        copy.keys = keys.filter { !KeyNames.isPrintable($0) }
        copy.moreKeys = moreKeys.filter { !KeyNames.isPrintable($0) }
        return copy.allKeys.isEmpty ? nil : copy
    }
}

/// The bindings every screen can list: help, jump, quit, leave.
extension KeyBinding {
    static var help: KeyBinding { help(footer: true) }

    /// `?`: in the footer of browsing screens; editing screens show F1 there instead.
    static func help(footer: Bool) -> KeyBinding {
        KeyBinding([.character("?")], "help", footer: footer, essential: footer) { _, state, _ in
            state.overlay = .help
            return []
        }
    }

    /// F1: the help from anywhere, also while typing; in the footer of editing screens.
    static func helpF1(footer: Bool) -> KeyBinding {
        KeyBinding([.function(1)], footer ? "help" : "help, also while typing", footer: footer, essential: footer) { _, state, _ in
            state.overlay = .help
            return []
        }
    }

    static var jump: KeyBinding {
        KeyBinding([.character(":")], "go: \(JumpCommand.summary)", footer: false) { _, state, _ in
            state.overlay = .command(TextField())
            return []
        }
    }

    static var quit: KeyBinding {
        KeyBinding([.character("q")], "quit", essential: true) { _, _, _ in [.quit(status: 0)] }
    }

    static var interrupt: KeyBinding {
        KeyBinding([.ctrl("c")], "leave now", footer: false) { _, _, _ in [.quit(status: 0)] }
    }

    static func back(_ help: String = "back", more: [Key] = [.left, .character("h")]) -> KeyBinding {
        KeyBinding([.escape], more: more, help) { _, state, _ in
            state.back()
            return []
        }
    }

    /// The keys every browsing screen ends with.
    static var common: [KeyBinding] { [.help, .quit, .jump, .helpF1(footer: false), .interrupt] }
}

/// How keys are written for the operator: `↑↓/jk`, `^S/F2`, `PgUp/PgDn`.
enum KeyNames {
    static func name(_ key: Key) -> String {
        switch key {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .ctrl(let c): "^" + c.uppercased()
        case .alt(let c): "M-" + String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .insert: "Ins"
        case .escape: "Esc"
        case .function(let n): "F\(n)"
        }
    }

    /// Arrows run together (`↑↓`), so do single letters (`jk`); the rest are joined by `/`.
    static func label(_ keys: [Key]) -> String {
        var groups: [String] = []
        var lastKind = 0
        for key in keys {
            let kind = isArrow(key) ? 1 : (isLetter(key) ? 2 : 0)
            if kind != 0, kind == lastKind, let last = groups.popLast() {
                groups.append(last + name(key))
            } else {
                groups.append(name(key))
            }
            lastKind = kind
        }
        return groups.joined(separator: "/")
    }

    static func isPrintable(_ key: Key) -> Bool {
        if case .character = key { return true }
        return false
    }

    private static func isArrow(_ key: Key) -> Bool { [.up, .down, .left, .right].contains(key) }

    private static func isLetter(_ key: Key) -> Bool {
        if case .character(let c) = key { return c.isLetter && c.isASCII }
        return false
    }
}

/// A screen never shown: holds a screen's place in the stack while its own key runs.
struct VacantScreen: ConsoleScreen {
    var id: ScreenID { ScreenID(title: "") }
    func bindings(_ state: ConsoleState) -> [KeyBinding<VacantScreen>] { [] }
    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {}
}

import GatewayKit
import Terminal

/// The whole console as a value: what is loaded, which screens are open, what each holds.
/// `update` changes it, `view` draws it.
public struct ConsoleState: Sendable {
    public internal(set) var options: ConsoleOptions
    /// Where the objects come from, shown in the header (`workspace ~/…`).
    var location: String
    let theme: Theme
    var size = Size(columns: 80, rows: 24)

    /// Nil until the first load finishes.
    public internal(set) var inventory: Inventory?
    var catalog = Catalog()
    var loadInFlight = false
    var reloadQueued = false

    /// The open screens, the last one shown. Keys go to the top one; Esc pops it.
    var stack: [any ConsoleScreen] = [ProjectsScreen()]
    /// The project the screens below Projects are about.
    var project: String?

    var overlay: Overlay?
    var flash: Flash?
    /// The store's standing notice (a credential plugin waiting, say): shown when no flash is.
    var notice: String?
    /// Auto-generated hosts that a gateway change made stale, for the current project.
    var staleHosts: [StaleHost] = []

    /// Whether the console has a source for the gateway at work (Pods, Logs, Monitoring).
    var hasActivitySource = false
    /// Whether the console can read objects' last changes (an audit log).
    var hasChangeHistory = false
    /// Last changes read so far, by object reference, each for the version it was read for.
    var lastChanges: [String: KnownChange] = [:]

    public init(options: ConsoleOptions = ConsoleOptions(), location: String = "") {
        self.options = options
        self.location = location
        self.theme = Theme(options: options)
        if let project = options.initialProject {
            self.project = project
            stack.append(InternetAccessScreen())
        }
    }

    var top: ScreenID { stack.last?.id ?? .projects }
    var readOnly: Bool { options.readOnly }
    /// Rows the top screen's body has at the current size (see `Layout`).
    var bodyHeight: Int { Layout(size: size).body.height }
}

/// What is drawn over the screen and takes the keys first.
enum Overlay: Hashable, Sendable {
    case help
    case confirm(Confirmation)
    case command(TextField)
}

/// A destructive action waiting for y/n.
struct Confirmation: Hashable, Sendable {
    enum Action: Hashable, Sendable {
        case deleteGateway(project: String)
        case upgradeGateway(project: String)
        case deleteRoute(project: String, name: String)
        case discardRouteEdits
        case discardGatewayEdits
    }
    var prompt: String
    var action: Action
}

/// A one-line message in the status row until the next key. Notices from the store (a
/// credential plugin waiting for the operator, say) go here too, as `.info`.
struct Flash: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case info, success, error }
    var text: String
    var kind: Kind
    /// Kept across keys (a conflict stays shown while the operator decides).
    var sticky = false

    static func info(_ text: String) -> Flash { Flash(text: text, kind: .info) }
    static func success(_ text: String) -> Flash { Flash(text: text, kind: .success) }
    static func error(_ text: String, sticky: Bool = false) -> Flash { Flash(text: text, kind: .error, sticky: sticky) }
}

/// Where the header, body, status row and footer go at a size. The header collapses to
/// one row on short terminals; below `minimum` only a notice is shown.
struct Layout: Hashable, Sendable {
    static let minimum = Size(columns: 40, rows: 10)
    var size: Size

    var isTooSmall: Bool { size.columns < Layout.minimum.columns || size.rows < Layout.minimum.rows }
    var headerRows: Int { size.rows >= 16 ? 2 : 1 }
    var body: Rect {
        Rect(x: 0, y: headerRows, width: size.columns, height: max(0, size.rows - headerRows - 2))
    }
    var statusRow: Int { size.rows - 2 }
    var footerRow: Int { size.rows - 1 }
}

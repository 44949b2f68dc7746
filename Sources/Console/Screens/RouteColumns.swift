import GatewayKit
import Terminal

/// The routes table's columns, sized from what the visible rows hold and the width: every
/// column whole when it fits; when not, the widest of hosts, paths and URLs gives way a
/// column at a time (URLs count as a little narrower, so they keep the most), hosts lose
/// their middle and URLs their host's middle, never the port; names give way last.
struct RouteColumns: Hashable, Sendable {
    /// Name, hosts, path → backend, URLs.
    var widths: [Int]

    /// The columns shrink to these first; then, on narrow terminals, to the second set.
    static let floors = [[8, 10, 10, 20], [6, 3, 3, 8]]
    /// How much narrower the URLs count when choosing the column to shrink.
    static let urlAdvantage = 12

    /// `natural` is the widest cell of each column (titles included).
    init(natural: [Int], width: Int) {
        let available = max(0, width - (natural.count - 1))
        var widths = natural
        var excess = widths.reduce(0, +) - available
        for floors in RouteColumns.floors where excess > 0 {
            let room = { (column: Int) in widths[column] - floors[column] }
            let weight = { (column: Int) in widths[column] - (column == 3 ? RouteColumns.urlAdvantage : 0) }
            while excess > 0, let widest = [1, 2, 3].filter({ room($0) > 0 }).max(by: { weight($0) < weight($1) }) {
                widths[widest] -= 1
                excess -= 1
            }
            let cut = min(excess, max(0, room(0)))
            widths[0] -= cut
            excess -= cut
        }
        if excess > 0 {
            // Narrower than every floor: shrink every column in proportion.
            let total = max(1, widths.reduce(0, +))
            widths = widths.map { $0 * available / total }
        }
        // Spare room goes to the URLs, the last column.
        widths[widths.count - 1] = max(0, available - widths.dropLast().reduce(0, +))
        self.widths = widths
    }

    /// The cells of a route: name, hosts, paths, URLs (`first +N`), fitted to the widths.
    /// A first path the gateway does not serve shows why in place of its URL (`served by
    /// route web` when another route claimed it first; the summary below says it whole).
    static func cells(_ route: Route, gateway: GatewayView?, conflicts: PathConflicts, arrow: String) -> [String] {
        let access = AccessURL.all(route: route, gateway: gateway, conflicts: conflicts)
        let urls = access.compactMap(\.url)
        let firstText = access.first.flatMap { $0.url ?? $0.servedBy.map { "served by route \($0)" } ?? $0.notServed }
        let urlText = firstText.map { access.count > 1 ? "\($0) +\(access.count - 1)" : $0 } ?? urls.first ?? "-"
        return [route.name, RoutesScreen.hosts(route), RoutesScreen.paths(route, arrow: arrow), urlText]
    }

    func fit(_ cells: [String], ellipsis: String) -> [String] {
        cells.enumerated().map { column, text in
            let width = widths[column]
            switch column {
            case 1: return text.fittedInMiddle(to: width, ellipsis: ellipsis)
            case 3:
                // `url +2`: the count stays, the URL is cut.
                guard let plus = text.range(of: " +", options: .backwards) else { return text.fittedURL(to: width, ellipsis: ellipsis) }
                let more = String(text[plus.lowerBound...])
                return String(text[..<plus.lowerBound]).fittedURL(to: width - more.count, ellipsis: ellipsis) + more
            default: return text.fitted(to: width, ellipsis: ellipsis)
            }
        }
    }
}

import GatewayKit
import Terminal

/// The routes table's columns, sized from what the visible rows hold and the width: every
/// column whole when it fits; when not, hosts give way first (the URLs repeat them), then
/// paths, then names; URLs keep their port and path, losing the middle of the host.
struct RouteColumns: Hashable, Sendable {
    /// Name, hosts, path → backend, URLs.
    var widths: [Int]

    /// Which column gives way, down to how many columns, in turn: hosts first (the URLs
    /// repeat them), then URLs (cut in the host, never in the port), names last.
    static let shrinkSteps: [(column: Int, floor: Int)] = [(1, 18), (3, 30), (1, 10), (2, 10), (3, 20), (0, 8)]

    /// `natural` is the widest cell of each column (titles included).
    init(natural: [Int], width: Int) {
        let available = max(0, width - (natural.count - 1))
        var widths = natural
        var excess = widths.reduce(0, +) - available
        for (column, floor) in RouteColumns.shrinkSteps where excess > 0 {
            let cut = min(excess, max(0, widths[column] - floor))
            widths[column] -= cut
            excess -= cut
        }
        if excess > 0 {
            // Narrower than the floors: shrink every column in proportion.
            let total = max(1, widths.reduce(0, +))
            widths = widths.map { $0 * available / total }
        }
        // Spare room goes to the URLs, the last column.
        widths[widths.count - 1] = max(0, available - widths.dropLast().reduce(0, +))
        self.widths = widths
    }

    /// The cells of a route: name, hosts, paths, URLs (`first +N`), fitted to the widths.
    static func cells(_ route: Route, gateway: GatewayView?, arrow: String) -> [String] {
        let urls = AccessURL.all(route: route, gateway: gateway).compactMap(\.url)
        let urlText = urls.first.map { urls.count > 1 ? "\($0) +\(urls.count - 1)" : $0 } ?? "-"
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

import GatewayKit

/// What the screens read, derived once per load from the inventory: routes grouped by
/// project and sorted, each project's gateway as the operator sees it, the project rows.
/// Keys never re-derive any of it.
struct Catalog: Sendable {
    var projectRows: [ProjectRow] = []
    private var routesByProject: [String: [Route]] = [:]
    private var gatewaysByProject: [String: Gateway] = [:]
    private var viewsByProject: [String: GatewayView] = [:]

    init() {}

    init(_ inventory: Inventory) {
        var routes: [String: [Route]] = [:]
        for route in inventory.routes { routes[route.namespace, default: []].append(route) }
        for project in routes.keys { routes[project]?.sort { $0.name < $1.name } }
        routesByProject = routes
        for gateway in inventory.gateways {
            gatewaysByProject[gateway.project] = gateway
            viewsByProject[gateway.project] = GatewayView(gateway: gateway, nodes: inventory.nodes)
        }
        projectRows = ProjectRow.rows(inventory)
    }

    func routes(project: String) -> [Route] { routesByProject[project] ?? [] }
    func gateway(project: String) -> Gateway? { gatewaysByProject[project] }
    func gatewayView(project: String) -> GatewayView? { viewsByProject[project] }
    func projectIndex(named name: String) -> Int? { projectRows.firstIndex { $0.name == name } }
}

/// One row of the project list, the same in the console and in `kgate projects`: the
/// projects an operator works on (system namespaces left out), sorted by name.
public struct ProjectRow: Hashable, Sendable {
    public var name: String
    public var alias: String
    public var gatewayType: GatewayType?
    public var status: String
    public var routeCount: Int

    /// The column titles, in the order of `cells`.
    public static let titles = ["NAME", "ALIAS", "GATEWAY", "STATUS", "ROUTES"]

    /// The row as text, `-` where there is nothing to show.
    public var cells: [String] {
        [name, alias.isEmpty ? "-" : alias, gatewayType?.rawValue ?? "-", status, String(routeCount)]
    }

    public static func rows(_ inventory: Inventory) -> [ProjectRow] {
        var routeCounts: [String: Int] = [:]
        for route in inventory.routes { routeCounts[route.namespace, default: 0] += 1 }
        var views: [String: GatewayView] = [:]
        for gateway in inventory.gateways { views[gateway.project] = GatewayView(gateway: gateway, nodes: inventory.nodes) }
        // KubeSphere's cluster gateway serves every project without a gateway of its own.
        let cluster = views[Gateway.clusterGatewayProject]
        return inventory.userProjects.sorted { $0.name < $1.name }.map { project in
            let view = views[project.name]
            return ProjectRow(
                name: project.name, alias: project.alias ?? "", gatewayType: (view ?? cluster)?.type,
                status: view?.status.name ?? (cluster == nil ? "Not Set" : "Cluster Gateway"),
                routeCount: routeCounts[project.name] ?? 0)
        }
    }
}

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
        projectRows = inventory.projects.sorted { $0.name < $1.name }.map { project in
            let view = viewsByProject[project.name]
            return ProjectRow(
                name: project.name, alias: project.alias ?? "", gatewayType: view?.type,
                status: view?.status.name ?? "Not Set", routeCount: routes[project.name]?.count ?? 0)
        }
    }

    func routes(project: String) -> [Route] { routesByProject[project] ?? [] }
    func gateway(project: String) -> Gateway? { gatewaysByProject[project] }
    func gatewayView(project: String) -> GatewayView? { viewsByProject[project] }
    func projectIndex(named name: String) -> Int? { projectRows.firstIndex { $0.name == name } }
}

/// One row of the project list.
struct ProjectRow: Hashable, Sendable {
    var name: String
    var alias: String
    var gatewayType: GatewayType?
    var status: String
    var routeCount: Int
}

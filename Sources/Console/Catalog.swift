import GatewayKit

/// What the screens read, derived once per load from the inventory: routes grouped by
/// project and sorted, each project's gateway as the operator sees it, the paths another
/// route serves (`PathConflicts`), the project rows.
/// Keys never re-derive any of it.
struct Catalog: Sendable {
    var projectRows: [ProjectRow] = []
    private var routesByProject: [String: [Route]] = [:]
    private var gatewaysByProject: [String: Gateway] = [:]
    private var viewsByProject: [String: GatewayView] = [:]
    private var conflictsByProject: [String: PathConflicts] = [:]

    init() {}

    init(_ inventory: Inventory) {
        routesByProject = Catalog.group(inventory.routes)
        for gateway in inventory.gateways {
            gatewaysByProject[gateway.project] = gateway
            viewsByProject[gateway.project] = GatewayView(gateway: gateway, nodes: inventory.nodes)
        }
        for (project, routes) in routesByProject {
            let conflicts = PathConflicts.find(routes: routes, servedClass: viewsByProject[project]?.ingressClass)
            if !conflicts.isEmpty { conflictsByProject[project] = conflicts }
        }
        projectRows = ProjectRow.rows(inventory, views: viewsByProject, routeCounts: routesByProject.mapValues(\.count))
    }

    /// Routes by project, each sorted by name. A store gives them sorted by project and
    /// name already: then each project's routes are one run, taken whole, nothing hashed
    /// or sorted per route.
    static func group(_ routes: [Route]) -> [String: [Route]] {
        var grouped: [String: [Route]] = [:]
        var start = 0
        while start < routes.count {
            let project = routes[start].namespace
            var end = start + 1
            while end < routes.count, routes[end].namespace == project { end += 1 }
            if grouped[project] == nil {
                // A project's whole run: of one project alone, the inventory's own buffer.
                grouped[project] = Array(routes[start..<end])
            } else {
                grouped[project]?.append(contentsOf: routes[start..<end])
            }
            start = end
        }
        for (project, list) in grouped where !isSortedByName(list) {
            grouped[project] = list.sorted { $0.name < $1.name }
        }
        return grouped
    }

    private static func isSortedByName(_ routes: [Route]) -> Bool {
        var index = 1
        while index < routes.count {
            if routes[index].name < routes[index - 1].name { return false }
            index += 1
        }
        return true
    }

    func routes(project: String) -> [Route] { routesByProject[project] ?? [] }
    func gateway(project: String) -> Gateway? { gatewaysByProject[project] }
    func gatewayView(project: String) -> GatewayView? { viewsByProject[project] }
    func conflicts(project: String) -> PathConflicts { conflictsByProject[project] ?? PathConflicts() }
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
        return rows(inventory, views: views, routeCounts: routeCounts)
    }

    static func rows(_ inventory: Inventory, views: [String: GatewayView], routeCounts: [String: Int]) -> [ProjectRow] {
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

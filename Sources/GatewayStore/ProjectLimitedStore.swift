import GatewayKit

/// A store seen through a list of projects (an SSH key's `projects=`): only those projects
/// and their objects load, and a write anywhere else is refused as forbidden.
public final class ProjectLimitedStore: ObjectStore {
    private let base: any ObjectStore
    private let projects: Set<String>

    public init(_ base: any ObjectStore, projects: Set<String>) {
        self.base = base
        self.projects = projects
    }

    public var location: String { base.location }
    public var isReadOnly: Bool { base.isReadOnly }
    public func changes() -> AsyncStream<Void> { base.changes() }

    public func load() async throws(StoreError) -> Inventory {
        var inventory = try await base.load()
        inventory.projects.removeAll { !projects.contains($0.name) }
        inventory.routes.removeAll { !projects.contains($0.namespace) }
        inventory.services.removeAll { !projects.contains($0.metadata.namespace) }
        inventory.endpoints.removeAll { !projects.contains($0.metadata.namespace) }
        inventory.secrets.removeAll { !projects.contains($0.metadata.namespace) }
        inventory.gateways.removeAll { !projects.contains($0.project) }
        return inventory
    }

    public func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] {
        for object in objects {
            let project: String? =
                switch object {
                case .route(let route): route.namespace
                case .service(let service): service.metadata.namespace
                case .endpoints(let endpoints): endpoints.metadata.namespace
                case .secret(let secret): secret.metadata.namespace
                case .gateway(let gateway): gateway.project
                default: nil
                }
            try check(project, what: "this kind of object")
        }
        return try await base.apply(objects)
    }

    public func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        try check(request.project, what: "gateway")
        return try await base.setGateway(request)
    }

    public func deleteGateway(project: String) async throws(StoreError) {
        try check(project, what: "gateway")
        try await base.deleteGateway(project: project)
    }

    public func upgradeGateway(project: String) async throws(StoreError) -> Gateway {
        try check(project, what: "gateway")
        return try await base.upgradeGateway(project: project)
    }

    public func createRoute(_ route: Route) async throws(StoreError) -> Route {
        try check(route.namespace, what: "route \(route.name)")
        return try await base.createRoute(route)
    }

    public func updateRoute(_ route: Route) async throws(StoreError) -> Route {
        try check(route.namespace, what: "route \(route.name)")
        return try await base.updateRoute(route)
    }

    public func deleteRoute(project: String, name: String) async throws(StoreError) {
        try check(project, what: "route \(name)")
        try await base.deleteRoute(project: project, name: name)
    }

    private func check(_ project: String?, what: String) throws(StoreError) {
        guard let project, projects.contains(project) else {
            let allowed = projects.sorted().joined(separator: ", ")
            throw StoreError.forbidden(
                reason: "\(what)\(project.map { " in project \($0)" } ?? ""): this session may change only projects \(allowed)")
        }
    }
}

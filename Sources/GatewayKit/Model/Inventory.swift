/// Everything a backend holds, as one value: what the console and the CLI read.
///
/// Gateways are stored as a Gateway object plus its Service (or, legacy, a Service plus a
/// Deployment); `gateways` gives them merged, one per project.
public struct Inventory: Hashable, Sendable {
    public var settings: WorkspaceSettings
    public var projects: [Project]
    public var nodes: [Node]
    public var services: [BackendService]
    public var endpoints: [BackendEndpoints]
    public var secrets: [TLSSecret]
    public var routes: [Route] {
        didSet { validation.routesPassed = false }
    }
    public var gateways: [Gateway]
    public var addressPools: [AddressPool]
    /// Gateway API objects applied to the workspace (Gateways, HTTPRoutes,
    /// ReferenceGrants), sorted by namespace, kind and name; read with `httpRoutes(project:)`.
    public var gatewayAPI: [GatewayAPIObject] = []
    /// Objects that did not load, each with its file (or source) and field.
    public var problems: [ManifestProblem]
    /// What the operator should know though everything loaded (a Secret readable by
    /// others, a folder that could not be read), one line each.
    public var warnings: [String] = []
    /// Folders and files (relative to the store) that could not be read: objects there
    /// are unknown, neither present nor absent.
    public var unreadable: [String] = []

    /// Every route passed `Validate.route`: set by whoever made `routes` of such routes
    /// alone (the workspace's assembly), so that nginx.conf's plan does not validate
    /// 10,000 routes again; any change to `routes` clears it. Not part of the value.
    public var routesPassedValidation: Bool {
        get { validation.routesPassed }
        set { validation.routesPassed = newValue }
    }
    private var validation = ValidationMark()

    public init(
        settings: WorkspaceSettings = WorkspaceSettings(), projects: [Project] = [], nodes: [Node] = [],
        services: [BackendService] = [], endpoints: [BackendEndpoints] = [], secrets: [TLSSecret] = [],
        routes: [Route] = [], gateways: [Gateway] = [], addressPools: [AddressPool] = [],
        problems: [ManifestProblem] = []
    ) {
        self.settings = settings
        self.projects = projects
        self.nodes = nodes
        self.services = services
        self.endpoints = endpoints
        self.secrets = secrets
        self.routes = routes
        self.gateways = gateways
        self.addressPools = addressPools
        self.problems = problems
    }

    public func project(_ name: String) -> Project? { projects.first { $0.name == name } }
    public func gateway(project: String) -> Gateway? { gateways.first { $0.project == project } }
    /// The cluster gateway `kubesphere-router-kubesphere-system`, which serves every
    /// project that has no gateway of its own; nil when there is none.
    public var clusterGateway: Gateway? { gateway(project: Gateway.clusterGatewayProject) }
    public func routes(project: String) -> [Route] { routes.filter { $0.namespace == project } }
    public func route(project: String, name: String) -> Route? {
        routes.first { $0.namespace == project && $0.name == name }
    }
    public func services(project: String) -> [BackendService] { services.filter { $0.namespace == project } }
    public func secrets(project: String) -> [TLSSecret] { secrets.filter { $0.namespace == project } }

    /// The unreadable place that hides objects of `project` (its folder, a file in it,
    /// the folders of cluster objects and gateways, or the whole store), if any.
    public func unreadablePlace(project: String) -> String? {
        let folders = ["", project, "_cluster", settings.gatewayNamespace]
        return unreadable.first { place in
            folders.contains(place) || folders.contains { !$0.isEmpty && place.hasPrefix($0 + "/") }
        }
    }
}

/// A manifest that could not be loaded: where it is and what is wrong with it.
public struct ManifestProblem: Hashable, Sendable, CustomStringConvertible {
    /// A file path, `-` for standard input, or a URL.
    public var source: String
    /// Which document of a multi-document source, from 0.
    public var document: Int?
    public var errors: [FieldError]

    public init(source: String, document: Int? = nil, errors: [FieldError]) {
        self.source = source
        self.document = document
        self.errors = errors
    }

    public var description: String {
        let place = document.map { "\(source) (document \($0 + 1))" } ?? source
        return errors.map { "\(place): \($0)" }.joined(separator: "\n")
    }
}

/// What is known of an inventory's validation: a fact about how it was made, not part of
/// its value, so equal inventories are equal however they were made.
private struct ValidationMark: Hashable, Sendable {
    var routesPassed = false

    static func == (_: ValidationMark, _: ValidationMark) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

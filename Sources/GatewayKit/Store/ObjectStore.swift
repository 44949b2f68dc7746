/// Where objects live, as the console and the command line see it: the embedded
/// workspace, or a Kubernetes cluster. Implementations are in the `GatewayStore` module; the console
/// receives one behind this protocol.
///
/// Every method that writes either does all it was asked or nothing, and throws a
/// `StoreError` saying why.
public protocol ObjectStore: AnyObject, Sendable {
    /// `workspace /home/op/.local/share/kgate/workspace`, `cluster prod (https://…)`.
    var location: String { get }
    var isReadOnly: Bool { get }

    /// Everything, as of now.
    func load() async throws(StoreError) -> Inventory

    /// Fires whenever the stored objects may have changed (by this process or another);
    /// a view then loads again. Ends when the store is closed.
    func changes() -> AsyncStream<Void>

    /// Creates or updates objects (`kubectl apply`): an object with a resourceVersion must
    /// match the stored one.
    func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome]

    /// Sets a project's gateway: creates it, or changes it keeping what the request leaves
    /// open (node ports already assigned, for instance).
    func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange

    func deleteGateway(project: String) async throws(StoreError)

    /// Turns a KubeSphere 2.1–3.1 router on a cluster that serves the Gateway CRD into a
    /// Gateway CR with the same settings, as KubeSphere's "upgrade" does. Only a cluster
    /// has legacy gateways to upgrade: the default refuses.
    func upgradeGateway(project: String) async throws(StoreError) -> Gateway

    /// Creates a route; refuses one whose name is taken.
    func createRoute(_ route: Route) async throws(StoreError) -> Route

    /// Replaces a route; its resourceVersion must be the stored one.
    func updateRoute(_ route: Route) async throws(StoreError) -> Route

    func deleteRoute(project: String, name: String) async throws(StoreError)
}

extension ObjectStore {
    public func upgradeGateway(project: String) async throws(StoreError) -> Gateway {
        throw .invalid(object: "gateway of \(project)", errors: [FieldError(
            "project", "only a gateway on a KubeSphere 3.2+ cluster that is still a legacy router can be upgraded; \(location) has none")])
    }
}

/// Why a store refused or failed a request.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The object breaks the rules: every field with its reason.
    case invalid(object: String, errors: [FieldError])
    case notFound(object: String)
    case alreadyExists(object: String)
    /// The object changed since it was read (its resourceVersion is stale).
    case conflict(object: String, reason: String)
    /// Not allowed: read-only mode, or the cluster's RBAC.
    case forbidden(reason: String)
    /// The backend could not be reached or written (I/O, network).
    case unavailable(reason: String)

    /// Names, paths and reasons may come from files and servers: each part is escaped
    /// (`TerminalText`), so the description is safe to print whatever they held.
    public var description: String {
        let safe = TerminalText.escaped
        return switch self {
        case .invalid(let object, let errors):
            "\(safe(object)) is invalid:\n" + errors.map { "  \(safe($0.description))" }.joined(separator: "\n")
        case .notFound(let object): "\(safe(object)) not found"
        case .alreadyExists(let object): "\(safe(object)) already exists"
        case .conflict(let object, let reason): "conflict on \(safe(object)): \(safe(reason))"
        case .forbidden(let reason): "forbidden: \(safe(reason))"
        case .unavailable(let reason): "unavailable: \(safe(reason))"
        }
    }
}

/// What `apply` did with one object.
public struct ApplyOutcome: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case created, configured, unchanged }
    public var reference: String
    public var action: Action

    public init(reference: String, action: Action) {
        self.reference = reference
        self.action = action
    }
}

extension ApplyOutcome.Action {
    /// What applying a Gateway did: compared without the version the store stamps.
    public static func of(before: Gateway?, after: Gateway) -> Self {
        guard var before else { return .created }
        var after = after
        before.resourceVersion = nil
        after.resourceVersion = nil
        return before == after ? .unchanged : .configured
    }
}

/// What an operator asks of a project's gateway (Set Gateway, `kgate gateway set`).
/// A nil field keeps what the gateway has, or takes the default.
public struct GatewayRequest: Hashable, Sendable {
    public var project: String
    public var type: GatewayType
    public var httpNodePort: Int?
    public var httpsNodePort: Int?
    public var annotations: [String: String]?
    public var governance: Bool?
    public var replicas: Int?
    public var config: [String: String]?
    /// The version the operator edited; a different stored version is a conflict.
    public var expectedResourceVersion: String?

    public init(
        project: String, type: GatewayType, httpNodePort: Int? = nil, httpsNodePort: Int? = nil,
        annotations: [String: String]? = nil, governance: Bool? = nil, replicas: Int? = nil,
        config: [String: String]? = nil, expectedResourceVersion: String? = nil
    ) {
        self.project = project
        self.type = type
        self.httpNodePort = httpNodePort
        self.httpsNodePort = httpsNodePort
        self.annotations = annotations
        self.governance = governance
        self.replicas = replicas
        self.config = config
        self.expectedResourceVersion = expectedResourceVersion
    }
}

/// The gateway as saved, and the routes whose auto-generated hosts it made stale.
public struct GatewayChange: Hashable, Sendable {
    public var gateway: Gateway
    public var staleHosts: [StaleHost]

    public init(gateway: Gateway, staleHosts: [StaleHost]) {
        self.gateway = gateway
        self.staleHosts = staleHosts
    }
}

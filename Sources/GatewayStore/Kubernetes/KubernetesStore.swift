import Foundation
import GatewayKit

/// A Kubernetes cluster as kgate's store, through the kubeconfig: projects are
/// namespaces, routes Ingresses, and the gateway is a KubeSphere Gateway CR or the
/// legacy router, whichever the cluster serves.
///
/// The API server is the authority: it validates (a 422 comes back as `invalid` with the
/// server's field causes), allocates node ports, and refuses stale writes (409, as
/// `conflict`). Read-only mode refuses every write before any request is made.
///
///     let store = try KubernetesStore.open(kubeconfig: nil, context: "prod")
///     let inventory = try await store.load()
public final class KubernetesStore: ObjectStore, Sendable {
    public let connection: ClusterConnection
    public let isReadOnly: Bool
    public var location: String { connection.description }

    private let client: APIClient
    private let watchPolicy: WatchPolicy
    /// Filled by the watches of `changes()`; `load()` reads it once every kind is listed.
    private let cache = ClusterCache()
    private var reader: ClusterReader { ClusterReader(client: client, cache: cache) }
    private var writer: ClusterWriter { ClusterWriter(client: client, cache: cache) }

    /// `plugins` bounds an exec credential plugin's time and hears when it is slow;
    /// `watches` sets the watches' timeouts and backoff.
    public init(
        connection: ClusterConnection, readOnly: Bool = false, plugins: CredentialPluginPolicy = CredentialPluginPolicy(),
        watches: WatchPolicy = WatchPolicy()
    ) throws(StoreError) {
        self.connection = connection
        self.isReadOnly = readOnly
        self.watchPolicy = watches
        self.client = try APIClient(connection: connection, plugins: plugins, readTimeout: watches.readTimeout)
    }

    /// The store the kubeconfig options name, as kubectl resolves them (see
    /// `KubeconfigLoader`); `KGATE_EXEC_TIMEOUT` in `environment` sets the plugin timeout.
    public static func open(
        kubeconfig: String?, context: String?, readOnly: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        plugins: CredentialPluginPolicy = CredentialPluginPolicy(), watches: WatchPolicy = WatchPolicy()
    ) throws(StoreError) -> KubernetesStore {
        try KubernetesStore(
            connection: KubeconfigLoader.connection(kubeconfig: kubeconfig, context: context, environment: environment),
            readOnly: readOnly, plugins: plugins.configured(by: environment), watches: watches)
    }

    /// Which flavour of gateway the cluster serves.
    public func gatewayFlavor() async throws(StoreError) -> GatewayFlavor { try await reader.discover().flavor }

    public func load() async throws(StoreError) -> Inventory { try await reader.load() }

    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let watcher = ClusterWatcher(reader: reader, cache: cache, policy: watchPolicy)
        let task = Task {
            await watcher.run { continuation.yield() }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    // MARK: Writes

    public func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] {
        try refuseIfReadOnly()
        return try await ClusterApply(reader: reader, writer: writer, gateways: gateways).apply(objects)
    }

    public func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        try refuseIfReadOnly()
        return try await gateways.set(request)
    }

    public func deleteGateway(project: String) async throws(StoreError) {
        try refuseIfReadOnly()
        try await gateways.delete(project: project)
    }

    public func upgradeGateway(project: String) async throws(StoreError) -> Gateway {
        try refuseIfReadOnly()
        return try await gateways.upgrade(project: project)
    }

    public func createRoute(_ route: Route) async throws(StoreError) -> Route {
        try refuseIfReadOnly()
        try Self.requireValid(route)
        var body = ObjectCodec.encode(.route(route))
        body.remove(path: ["metadata", "resourceVersion"])
        let stored = try await writer.create(.ingresses, body, namespace: route.namespace, name: route.name)
        return try Self.route(stored, reference: KubeObject.route(route).reference)
    }

    /// A merge patch of the fields the operator changed (the stored route, as kgate reads
    /// it, against `route`), so that fields and annotations kgate does not show stay as
    /// they are. With a resourceVersion, the server refuses it when the stored version
    /// moved on; without one, it goes over whatever is stored (as the workspace does).
    public func updateRoute(_ route: Route) async throws(StoreError) -> Route {
        try refuseIfReadOnly()
        try Self.requireValid(route)
        let reference = KubeObject.route(route).reference
        guard let stored = try await writer.get(.ingresses, namespace: route.namespace, name: route.name) else {
            throw .notFound(object: reference)
        }
        let current = try Self.route(stored, reference: reference)
        let patch = MergePatch.between(MergePatch.comparable(.route(current)), MergePatch.comparable(.route(route)))
        let written = try await writer.patch(
            .ingresses, patch ?? .map([]), resourceVersion: route.metadata.resourceVersion ?? ObjectCodec.resourceVersion(stored),
            namespace: route.namespace, name: route.name)
        return try Self.route(written, reference: reference)
    }

    /// kgate's rules (stricter than the API server's: no control characters, safe paths)
    /// hold for a cluster as for the workspace: one validation path for every backend.
    private static func requireValid(_ route: Route) throws(StoreError) {
        let errors = Validate.route(route)
        guard errors.isEmpty else { throw .invalid(object: KubeObject.route(route).reference, errors: errors) }
    }

    public func deleteRoute(project: String, name: String) async throws(StoreError) {
        try refuseIfReadOnly()
        try await writer.delete(.ingresses, namespace: project, name: name)
    }

    private var gateways: ClusterGateways { ClusterGateways(reader: reader, writer: writer) }

    private func refuseIfReadOnly() throws(StoreError) {
        if isReadOnly { throw .forbidden(reason: WorkspaceStore.readOnlyReason) }
    }

    private static func route(_ value: ManifestValue, reference: String) throws(StoreError) -> Route {
        guard case .route(let route) = try ObjectCodec.decodeOrThrow(value, as: .ingresses, reference: reference) else {
            throw .unavailable(reason: "\(reference): the server answered with another kind")
        }
        return route
    }
}

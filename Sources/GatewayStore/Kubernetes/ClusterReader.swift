import GatewayKit

/// Reads a cluster into an `Inventory`: discovery first (is the Gateway CRD served? are
/// OpenELB's Eips?), then every list kgate needs, in parallel, paged.
///
/// An object that does not parse or break kgate's rules is reported as a problem
/// naming it, as a broken workspace file is, and the rest still loads.
struct ClusterReader: Sendable {
    let client: APIClient
    /// What the watches keep, when they run: `load()` reads it instead of the cluster.
    var cache: ClusterCache?

    /// What discovery said about the cluster.
    struct Discovery: Sendable {
        var flavor: GatewayFlavor
        var servesEips: Bool
        /// `discovery.k8s.io/v1` EndpointSlices: Kubernetes 1.21 and later; v1 Endpoints before.
        var servesEndpointSlices = true
        /// The Ingress version served; the client converts an older one to and from v1.
        var ingressVersion = IngressAPIVersion.v1
    }

    /// Ingresses are read and written as `networking.k8s.io/v1` where the cluster serves it
    /// (1.19+); an older cluster (KubeSphere 2.1–3.1 ran on 1.15–1.20) is spoken to in
    /// `networking.k8s.io/v1beta1` or `extensions/v1beta1`, converted by `APIClient`.
    func discover() async throws(StoreError) -> Discovery {
        async let gateways = client.isServed(APIResource.gateways.root)
        async let eips = client.isServed(APIResource.eips.root)
        async let ingressVersion = client.servedIngressVersion()
        async let slices = client.servedResources(APIResource.endpointSlices.root)
        do {
            return Discovery(
                flavor: try await gateways ? .gatewayCRD : .legacyRouter, servesEips: try await eips,
                servesEndpointSlices: try await slices.contains(APIResource.endpointSlices.plural),
                ingressVersion: try await ingressVersion)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(reason: "\(error)")
        }
    }

    /// One collection a load lists and a watch follows.
    struct Listed: Sendable {
        var resource: APIResource
        var namespace: String = ""
        var query: [(String, String)] = []
    }

    /// The kinds a load lists (and a watch follows), in the given discovery.
    static func listed(_ discovery: Discovery, settings: WorkspaceSettings) -> [Listed] {
        var kinds: [Listed] = [Listed(resource: .namespaces), Listed(resource: .nodes), Listed(resource: .services)]
        kinds.append(Listed(resource: discovery.servesEndpointSlices ? .endpointSlices : .endpoints))
        kinds += [
            // kgate keeps no other key material than TLS Secrets, so it asks for no other.
            Listed(resource: .secrets, query: [("fieldSelector", "type=kubernetes.io/tls")]), Listed(resource: .ingresses),
        ]
        switch discovery.flavor {
        case .gatewayCRD: kinds.append(Listed(resource: .gateways))
        case .legacyRouter: kinds.append(Listed(resource: .deployments, namespace: settings.gatewayNamespace))
        }
        if discovery.servesEips { kinds.append(Listed(resource: .eips)) }
        return kinds
    }

    /// The watched kinds and the settings they follow from: discovery and the settings
    /// ConfigMap, read once.
    func plan() async throws(StoreError) -> ClusterCache.Plan {
        let discovery = try await discover()
        var settings = try await readSettings()
        settings.gatewayFlavor = discovery.flavor
        return ClusterCache.Plan(kinds: ClusterReader.listed(discovery, settings: settings), settings: settings)
    }

    /// The inventory: from the watches' cache once they listed every kind, else listed now.
    /// A kind the user may not list, or a watch that does not follow its kind, is a warning
    /// of the inventory, not a failed load (see `degraded`); problems are broken objects only.
    func load() async throws(StoreError) -> Inventory {
        if let inventory = cache?.inventory() { return inventory }
        let plan = try await plan()
        // Each child returns a `KindListing` made by a function of its own: Swift 6.3.1's
        // release build handed back garbage indices from a child closure that returned an
        // `(Int, Result)` tuple out of a typed-throws `do` (every kind then looked unlisted,
        // and the load came back empty). kgate-bench's cluster first frame checks the load
        // is whole in the release build.
        let results = await withTaskGroup(of: KindListing.self) { group in
            for (index, kind) in plan.kinds.enumerated() {
                group.addTask { await self.listing(index, kind, settings: plan.settings) }
            }
            var results: [Int: Result<Listing, StoreError>] = [:]
            for await listed in group { results[listed.index] = listed.result }
            return results
        }
        let (listings, refused) = try await degraded(plan, results: results)
        let decoded = zip(plan.kinds, listings).map { kind, listing in
            listing.decoded ?? ClusterAssembly.decodeAll(listing.items, kind: kind, settings: plan.settings)
        }
        var inventory = ClusterAssembly.inventory(plan, decoded: decoded)
        inventory.warnings = plan.notices + refused + (cache?.watchWarnings ?? [])
        return inventory
    }

    /// One kind's items as listed, and what each is to kgate when decoded already (nil:
    /// items gathered namespace by namespace, decoded afterwards).
    struct Listing: Sendable {
        var items: [ManifestValue]
        var decoded: [ClusterAssembly.Decoded]?
    }

    /// One kind's listing in `load()`, and its place in the plan.
    struct KindListing: Sendable {
        var index: Int
        var result: Result<Listing, StoreError>
    }

    private func listing(_ index: Int, _ kind: Listed, settings: WorkspaceSettings) async -> KindListing {
        do {
            return KindListing(index: index, result: .success(try await listDecoded(kind, settings: settings)))
        } catch {
            return KindListing(index: index, result: .failure(error))
        }
    }

    /// Every item of a kind, each page decoded (on another core) while the next is fetched.
    func listDecoded(_ kind: Listed, settings: WorkspaceSettings) async throws(StoreError) -> Listing {
        let pages = try await listPages(kind.resource, namespace: kind.namespace, query: kind.query) { items in
            (items, items.map { ClusterAssembly.decode($0, kind: kind, settings: settings) })
        }
        return Listing(items: pages.pages.flatMap { $0.0 }, decoded: pages.pages.flatMap { $0.1 })
    }

    /// Decodes each kind's items (a long list on every core); one that does not parse or
    /// breaks kgate's rules is a problem naming it, and the rest still loads.
    static func inventory(_ plan: ClusterCache.Plan, items: [[ManifestValue]], warnings: [String]) -> Inventory {
        let decoded = zip(plan.kinds, items).map { kind, kindItems in
            ClusterAssembly.decodeAll(kindItems, kind: kind, settings: plan.settings)
        }
        var inventory = ClusterAssembly.inventory(plan, decoded: decoded)
        inventory.warnings = plan.notices + warnings
        return inventory
    }

    /// The inventory of `objects`, each Gateway CR's node ports and addresses taken from
    /// its Service: the Service is what the cluster assigned, the CR's status only a copy
    /// that a controller may not have written yet.
    ///
    /// What KubeSphere's controllers report goes into `controllerState`: a CR whose Helm
    /// release has not made the Service yet is waiting for it, and on a cluster serving the
    /// Gateway CRD, a gateway that is only a legacy router Service (labels `app=kubesphere,
    /// component=ks-router`) is to be upgraded, as KubeSphere's console offers
    /// (kubesphere/kubesphere v3.2 pkg/models/gateway/gateway.go, getLegacyGateway).
    static func assemble(objects: [KubeObject], problems: [ManifestProblem]) -> Inventory {
        var inventory = Inventory(objects: objects, problems: problems)
        let crNames = Set(objects.compactMap { object -> String? in
            if case .gateway(let gateway) = object { return gateway.name }
            return nil
        })
        for (index, gateway) in inventory.gateways.enumerated() {
            let service = inventory.services.first(where: { $0.namespace == gateway.namespace && $0.name == gateway.name })
            if crNames.contains(gateway.name) {
                if service == nil, gateway.controllerState == nil {
                    inventory.gateways[index].controllerState = .waitingForService
                }
            } else if inventory.settings.gatewayFlavor == .gatewayCRD,
                service?.metadata.labels["app"] == "kubesphere", service?.metadata.labels["component"] == "ks-router"
            {
                inventory.gateways[index].controllerState = .legacyNeedsUpgrade
            }
            guard let service else { continue }
            var merged = gateway
            merged.ports = gateway.ports.map { port in
                var port = port
                if let assigned = service.ports.first(where: { $0.name == port.name || $0.port == port.port })?.nodePort {
                    port.nodePort = assigned
                }
                return port
            }
            if !service.loadBalancerIngress.isEmpty { merged.loadBalancerIngress = service.loadBalancerIngress }
            if !service.externalIPs.isEmpty { merged.externalIPs = service.externalIPs }
            merged.controllerState = inventory.gateways[index].controllerState
            inventory.gateways[index] = merged
        }
        return inventory
    }

    /// Every item of a collection, following `metadata.continue` pages of 500.
    func list(_ resource: APIResource, namespace: String = "", query: [(String, String)] = []) async throws(StoreError)
        -> [ManifestValue]
    {
        try await listWithVersion(resource, namespace: namespace, query: query).items
    }

    /// The items and the collection's resourceVersion, which a watch starts from so that no
    /// change falls between the list and the watch.
    func listWithVersion(_ resource: APIResource, namespace: String = "", query: [(String, String)] = [], pageSize: Int = 500)
        async throws(StoreError) -> (items: [ManifestValue], version: String?)
    {
        let listed = try await listPages(resource, namespace: namespace, query: query, pageSize: pageSize) { $0 }
        return (listed.pages.flatMap { $0 }, listed.version)
    }

    /// Every page of a collection, following `metadata.continue`, each page's items passed
    /// through `transform` in a task of its own while the next page is fetched; and the
    /// collection's resourceVersion. A continue token the server forgot (410 Gone: the
    /// snapshot was compacted) starts the list over, as client-go's pager does.
    func listPages<Page: Sendable>(
        _ resource: APIResource, namespace: String = "", query: [(String, String)] = [], pageSize: Int = 500,
        transform: @escaping @Sendable ([ManifestValue]) -> Page
    ) async throws(StoreError) -> (pages: [Page], version: String?) {
        let request = APIStatus.Request(verb: "list", resource: resource.qualifiedName, namespace: namespace, object: resource.qualifiedName)
        var restarts = 0
        while true {
            var pages: [Task<Page, Never>] = []
            var version: String?
            var token: String?
            var expired = false
            repeat {
                var parameters = query + [("limit", String(pageSize))]
                if let token { parameters.append(("continue", token)) }
                guard let page = try await client.sendUnlessGone(.GET, resource.path(namespace: namespace), query: parameters, about: request)
                else {
                    expired = true
                    break
                }
                if version == nil { version = ObjectCodec.resourceVersion(page) }
                if case .list(let pageItems)? = page["items"] { pages.append(Task { transform(pageItems) }) }
                if case .string(let next)? = page["metadata"]?["continue"], !next.isEmpty { token = next } else { token = nil }
            } while token != nil
            if !expired {
                var done: [Page] = []
                for page in pages { done.append(await page.value) }
                return (done, version)
            }
            restarts += 1
            if restarts > 3 {
                throw .unavailable(reason: "the API server kept expiring the pages of \(resource.qualifiedName) (410 Gone on continue); try again")
            }
        }
    }

    /// kgate's settings from the ConfigMap `kgate-settings` in the gateway namespace, when
    /// an operator made one; the defaults otherwise. The gateway namespace is KubeSphere's
    /// own (`gateway.namespace` of ConfigMap `kubesphere-system/kubesphere-config`) when
    /// that names one.
    func readSettings() async throws(StoreError) -> WorkspaceSettings {
        var settings = try await readKgateSettings()
        if let namespace = try await kubeSphereGatewayNamespace() { settings.gatewayNamespace = namespace }
        return settings
    }

    /// `gateway.namespace` of `kubesphere.yaml` in ConfigMap `kubesphere-system/kubesphere-config`,
    /// where ks-apiserver reads its gateway options (kubesphere/kubesphere v3.2
    /// pkg/simple/client/gateway/options.go). Nil when the ConfigMap is missing or not
    /// readable, or names no namespace: an empty one means "each project's own namespace",
    /// which kgate does not support, so the default namespace stands.
    func kubeSphereGatewayNamespace() async throws(StoreError) -> String? {
        let reference = "ConfigMap kubesphere-system/kubesphere-config"
        let request = APIStatus.Request(verb: "get", resource: "configmaps", namespace: "kubesphere-system", object: reference)
        let value: ManifestValue
        do {
            value = try await client.send(.GET, APIResource.configMaps.path(namespace: "kubesphere-system", name: "kubesphere-config"), about: request)
        } catch {
            switch error {
            case .notFound, .forbidden: return nil
            default: throw error
            }
        }
        guard case .string(let text)? = value["data"]?["kubesphere.yaml"], let tree = ManifestParser.trees(text)?.first,
            case .string(let namespace)? = tree.value["gateway"]?["namespace"], !namespace.isEmpty
        else { return nil }
        return namespace
    }

    private func readKgateSettings() async throws(StoreError) -> WorkspaceSettings {
        let resource = APIResource.configMaps
        let path = resource.path(namespace: Gateway.defaultNamespace, name: WorkspaceSettings.configMapName)
        let reference = "ConfigMap \(Gateway.defaultNamespace)/\(WorkspaceSettings.configMapName)"
        let request = APIStatus.Request(verb: "get", resource: "configmaps", namespace: Gateway.defaultNamespace, object: reference)
        do {
            let value = try await client.send(.GET, path, about: request)
            if case .settings(let settings) = try ObjectCodec.decodeOrThrow(value, as: resource, reference: reference) {
                return settings
            }
        } catch {
            switch error {
            case .notFound, .forbidden: break  // not made, or not ours to read: the defaults
            default: throw error
            }
        }
        return WorkspaceSettings()
    }
}

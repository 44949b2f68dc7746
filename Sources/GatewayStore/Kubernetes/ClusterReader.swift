import GatewayKit

/// Reads a cluster into an `Inventory`: discovery first (is the Gateway CRD served? are
/// OpenELB's Eips?), then every list kgate needs, in parallel, paged.
///
/// An object that does not parse or break kgate's rules is reported as a problem
/// naming it, as a broken workspace file is, and the rest still loads.
struct ClusterReader: Sendable {
    let client: APIClient

    /// What discovery said about the cluster.
    struct Discovery: Sendable {
        var flavor: GatewayFlavor
        var servesEips: Bool
    }

    func discover() async throws(StoreError) -> Discovery {
        async let gateways = client.isServed(APIResource.gateways.root)
        async let eips = client.isServed(APIResource.eips.root)
        do {
            return Discovery(flavor: try await gateways ? .gatewayCRD : .legacyRouter, servesEips: try await eips)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .unavailable(reason: "\(error)")
        }
    }

    /// The kinds a load lists (and a watch follows), in the given discovery.
    static func listed(_ discovery: Discovery, settings: WorkspaceSettings) -> [(APIResource, String, [(String, String)])] {
        var kinds: [(APIResource, String, [(String, String)])] = [
            (.namespaces, "", []), (.nodes, "", []), (.services, "", []), (.endpointSlices, "", []),
            // kgate keeps no other key material than TLS Secrets, so it asks for no other.
            (.secrets, "", [("fieldSelector", "type=kubernetes.io/tls")]), (.ingresses, "", []),
        ]
        switch discovery.flavor {
        case .gatewayCRD: kinds.append((.gateways, "", []))
        case .legacyRouter: kinds.append((.deployments, settings.gatewayNamespace, []))
        }
        if discovery.servesEips { kinds.append((.eips, "", [])) }
        return kinds
    }

    func load() async throws(StoreError) -> Inventory {
        let discovery = try await discover()
        var settings = try await readSettings()
        settings.gatewayFlavor = discovery.flavor
        let kinds = ClusterReader.listed(discovery, settings: settings)
        var objects: [KubeObject] = [.settings(settings)]
        var problems: [ManifestProblem] = []
        let results = await withTaskGroup(of: (Int, Result<[ManifestValue], StoreError>).self) { group in
            for (index, kind) in kinds.enumerated() {
                group.addTask {
                    do throws(StoreError) {
                        return (index, .success(try await self.list(kind.0, namespace: kind.1, query: kind.2)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [Int: Result<[ManifestValue], StoreError>] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
        for (index, kind) in kinds.enumerated() {
            guard let result = results[index] else { continue }
            let items: [ManifestValue]
            switch result {
            case .success(let list): items = list
            case .failure(let error): throw error
            }
            for item in items {
                if kind.0 == .deployments, !isRouterDeployment(item) { continue }
                let reference = "\(kind.0.kind) " + objectName(item)
                switch ObjectCodec.decode(item, as: kind.0) {
                case .failure(let failure):
                    problems.append(ManifestProblem(source: reference, errors: failure.errors))
                case .success(let object):
                    let errors = Validate.object(object, settings: settings)
                    if errors.isEmpty {
                        objects.append(object)
                    } else {
                        problems.append(ManifestProblem(source: reference, errors: errors))
                    }
                }
            }
        }
        return ClusterReader.assemble(objects: objects, problems: problems)
    }

    /// The inventory of `objects`, each Gateway CR's node ports and addresses taken from
    /// its Service: the Service is what the cluster assigned, the CR's status only a copy
    /// that a controller may not have written yet.
    static func assemble(objects: [KubeObject], problems: [ManifestProblem]) -> Inventory {
        var inventory = Inventory(objects: objects, problems: problems)
        for (index, gateway) in inventory.gateways.enumerated() {
            guard let service = inventory.services.first(where: { $0.namespace == gateway.namespace && $0.name == gateway.name })
            else { continue }
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
            inventory.gateways[index] = merged
        }
        return inventory
    }

    /// Every item of a collection, following `metadata.continue` pages of 500.
    func list(_ resource: APIResource, namespace: String = "", query: [(String, String)] = []) async throws(StoreError)
        -> [ManifestValue]
    {
        let request = APIStatus.Request(verb: "list", resource: resource.qualifiedName, namespace: namespace, object: resource.qualifiedName)
        var items: [ManifestValue] = []
        var token: String?
        repeat {
            var parameters = query + [("limit", "500")]
            if let token { parameters.append(("continue", token)) }
            let page = try await client.send(.GET, resource.path(namespace: namespace), query: parameters, about: request)
            if case .list(let pageItems)? = page["items"] { items += pageItems }
            if case .string(let next)? = page["metadata"]?["continue"], !next.isEmpty { token = next } else { token = nil }
        } while token != nil
        return items
    }

    /// kgate's settings from the ConfigMap `kgate-settings` in the gateway namespace, when
    /// an operator made one; the defaults otherwise.
    func readSettings() async throws(StoreError) -> WorkspaceSettings {
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

    private func isRouterDeployment(_ item: ManifestValue) -> Bool {
        objectName(item).split(separator: "/").last?.hasPrefix(Gateway.name(project: "")) ?? false
    }

    private func objectName(_ item: ManifestValue) -> String {
        let name: String
        if case .string(let text)? = item["metadata"]?["name"] { name = text } else { name = "?" }
        if case .string(let namespace)? = item["metadata"]?["namespace"], !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }
}

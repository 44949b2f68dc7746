extension Inventory {
    /// Gathers loose objects (a workspace's files, a cluster's lists) into an inventory,
    /// merging each gateway's objects: a Gateway object with its Service, or a legacy
    /// router Service with its Deployment.
    public init(objects: [KubeObject], problems: [ManifestProblem] = []) {
        self.init(problems: problems)
        var crds: [Gateway] = []
        var deployments: [String: RouterDeployment] = [:]
        for object in objects {
            switch object {
            case .project(let o): projects.append(o)
            case .node(let o): nodes.append(o)
            case .service(let o): services.append(o)
            case .endpoints(let o): endpoints.append(o)
            case .secret(let o): secrets.append(o)
            case .route(let o): routes.append(o)
            case .gateway(let o): crds.append(o)
            case .routerDeployment(let o): deployments[o.project] = o
            case .addressPool(let o): addressPools.append(o)
            case .settings(let o): settings = o
            }
        }
        projects.sort { $0.name < $1.name }
        nodes.sort { $0.name < $1.name }
        services.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        routes.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        secrets.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        addressPools.sort { $0.name < $1.name }
        gateways = Inventory.mergeGateways(
            crds: crds, deployments: deployments, services: services, namespace: settings.gatewayNamespace)
    }

    /// Namespaces that are not projects: Kubernetes' and KubeSphere's own.
    public static func isSystemNamespace(_ name: String, settings: WorkspaceSettings) -> Bool {
        name == settings.gatewayNamespace || name.hasPrefix("kube-") || name.hasSuffix("-system")
    }

    /// The projects an operator works on, system namespaces left out.
    public var userProjects: [Project] {
        projects.filter { !Inventory.isSystemNamespace($0.name, settings: settings) }
    }

    private static func mergeGateways(
        crds: [Gateway], deployments: [String: RouterDeployment], services: [BackendService], namespace: String
    ) -> [Gateway] {
        let prefix = Gateway.name(project: "")
        let routerServices = Dictionary(
            services.filter { $0.namespace == namespace && $0.name.hasPrefix(prefix) }.map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first })
        var result: [Gateway] = crds.map { crd in
            var gateway = crd
            gateway.storedService = routerServices[crd.name]?.stored ?? StoredManifest()
            return gateway
        }
        let covered = Set(crds.map(\.name))
        for (name, service) in routerServices where !covered.contains(name) {
            let project = String(name.dropFirst(prefix.count))
            guard !project.isEmpty, let type = GatewayType(exactly: service.type) else { continue }
            let deployment = deployments[project]
            // Governance is the Service's annotation, as KubeSphere's router code reads it
            // (kubesphere/kubesphere v3.1 pkg/models/routers/routers.go, SERVICEMESH_ENABLED);
            // the Deployment's pods only follow it (`sidecar.istio.io/inject`).
            var annotations = service.metadata.annotations
            let serviceGovernance = annotations.removeValue(forKey: KubeSphereAnnotation.governance).map { $0 == "true" }
            var gateway = Gateway(
                project: project, namespace: namespace, type: type,
                ports: GatewayPort.defaults.map { port in
                    var port = port
                    port.nodePort = service.ports.first { $0.name == port.name || $0.port == port.port }?.nodePort
                    return port
                },
                annotations: annotations, governance: serviceGovernance ?? deployment?.governance ?? false,
                replicas: deployment?.replicas ?? 1, loadBalancerIngress: service.loadBalancerIngress,
                externalIPs: service.externalIPs, resourceVersion: service.metadata.resourceVersion,
                creationTimestamp: service.metadata.creationTimestamp)
            gateway.storedService = service.stored
            result.append(gateway)
        }
        return result.sorted { $0.project < $1.project }
    }
}

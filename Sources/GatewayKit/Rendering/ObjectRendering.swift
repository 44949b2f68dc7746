/// Every `KubeObject` as the Kubernetes object it is stored as. The gateway kinds are in
/// `GatewayRendering.swift`.
extension ManifestValue {
    /// The object's manifest: `apiVersion, kind, metadata`, then its spec and status.
    public init(_ object: KubeObject) {
        switch object {
        case .project(let project): self = namespaceManifest(project)
        case .node(let node): self = nodeManifest(node)
        case .service(let service):
            self = ManifestMerge.merged(typed: serviceManifest(service), over: service.stored.value, kind: "Service")
        case .endpoints(let endpoints): self = endpointSliceManifest(endpoints)
        case .secret(let secret): self = secretManifest(secret)
        case .route(let route): self = ManifestMerge.merged(typed: ingressManifest(route), over: route.stored.value, kind: "Ingress")
        case .gateway(let gateway):
            self = ManifestMerge.merged(typed: gatewayManifest(gateway), over: gateway.stored.value, kind: "Gateway")
        case .routerDeployment(let deployment): self = routerDeploymentManifest(deployment)
        case .addressPool(let pool): self = eipManifest(pool)
        case .settings(let settings): self = settingsManifest(settings)
        case .gatewayAPI(let object): self = object.rendered
        }
    }
}

/// `apiVersion` and `kind` of each kind kgate stores.
enum ManifestKind {
    static let apiVersions: [String: String] = [
        "Namespace": "v1", "Node": "v1", "Service": "v1", "Secret": "v1", "ConfigMap": "v1",
        "EndpointSlice": "discovery.k8s.io/v1", "Ingress": "networking.k8s.io/v1",
        "Gateway": "gateway.kubesphere.io/v1alpha1", "Deployment": "apps/v1",
        "Eip": "network.kubesphere.io/v1alpha2",
    ]

    /// Every kind, in the order messages list them.
    static let all = [
        "Namespace", "Node", "Service", "EndpointSlice", "Secret", "Ingress", "Gateway", "Deployment",
        "Eip", "ConfigMap",
    ]

    static let endpointSliceServiceLabel = "kubernetes.io/service-name"
    static let tlsSecretType = "kubernetes.io/tls"
}

/// Starts an object's map: `apiVersion`, `kind`.
func objectHeader(kind: String) -> MapBuilder {
    var map = MapBuilder()
    map.add("apiVersion", ManifestKind.apiVersions[kind] ?? "v1")
    map.add("kind", kind)
    return map
}

/// `metadata` in Kubernetes' order: name, namespace, labels, annotations, resourceVersion,
/// creationTimestamp.
func metadataManifest(_ meta: ObjectMeta, labels: [String: String]? = nil) -> ManifestValue {
    var map = MapBuilder()
    map.add("name", meta.name)
    map.addNonEmpty("namespace", meta.namespace)
    map.addSorted("labels", labels ?? meta.labels)
    map.addSorted("annotations", meta.annotations)
    map.add("resourceVersion", meta.resourceVersion)
    map.add("creationTimestamp", meta.creationTimestamp)
    return map.value
}

private func namespaceManifest(_ project: Project) -> ManifestValue {
    var map = objectHeader(kind: "Namespace")
    map.add("metadata", metadataManifest(project.metadata))
    return map.value
}

private func nodeManifest(_ node: Node) -> ManifestValue {
    var map = objectHeader(kind: "Node")
    map.add("metadata", metadataManifest(node.metadata))
    if !node.addresses.isEmpty {
        let addresses = node.addresses.map { address in
            ManifestValue.map([.init("type", .string(address.kind.rawValue)), .init("address", .string(address.address))])
        }
        map.add("status", .map([.init("addresses", .list(addresses))]))
    }
    return map.value
}

/// A Service port's `targetPort`: a number when the text is one, else a named port.
func targetPortManifest(_ text: String) -> ManifestValue {
    if let number = Int(text), String(number) == text { return .int(number) }
    return .string(text)
}

func servicePortManifest(_ port: ServicePort) -> ManifestValue {
    var map = MapBuilder()
    map.add("name", port.name)
    map.add("protocol", port.protocol)
    map.add("port", port.port)
    if let target = port.targetPort { map.add("targetPort", targetPortManifest(target)) }
    map.add("nodePort", port.nodePort)
    return map.value
}

func loadBalancerManifest(_ ingress: [LoadBalancerIngress]) -> ManifestValue {
    var map = MapBuilder()
    map.addList("ingress", ingress.map { entry in
        var item = MapBuilder()
        item.add("ip", entry.ip)
        item.add("hostname", entry.hostname)
        return item.value
    })
    return map.value
}

func serviceManifest(_ service: BackendService) -> ManifestValue {
    var map = objectHeader(kind: "Service")
    map.add("metadata", metadataManifest(service.metadata))
    var spec = MapBuilder()
    spec.add("type", service.type)
    spec.addList("ports", service.ports.map(servicePortManifest))
    spec.addSorted("selector", service.selector)
    spec.add("clusterIP", service.clusterIP)
    spec.addStrings("externalIPs", service.externalIPs)
    map.add("spec", spec.value)
    if !service.loadBalancerIngress.isEmpty {
        map.add("status", .map([.init("loadBalancer", loadBalancerManifest(service.loadBalancerIngress))]))
    }
    return map.value
}

private func endpointSliceManifest(_ slice: BackendEndpoints) -> ManifestValue {
    var map = objectHeader(kind: "EndpointSlice")
    var labels = slice.metadata.labels
    labels[ManifestKind.endpointSliceServiceLabel] = slice.serviceName
    map.add("metadata", metadataManifest(slice.metadata, labels: labels))
    map.add("addressType", slice.addressType)
    // One endpoint an address: addresses within one endpoint are fungible, and consumers
    // use only the first.
    map.add("endpoints", .list(slice.addresses.map { address in
        var endpoint: [ManifestField] = [.init("addresses", .list([.string(address)]))]
        if slice.notReadyAddresses.contains(address) { endpoint.append(.init("conditions", .map([.init("ready", .bool(false))]))) }
        return .map(endpoint)
    }))
    map.addList("ports", slice.ports.map { port in
        var item = MapBuilder()
        item.add("name", port.name)
        item.add("protocol", port.protocol)
        item.add("port", port.port)
        return item.value
    })
    return map.value
}

private func secretManifest(_ secret: TLSSecret) -> ManifestValue {
    var map = objectHeader(kind: "Secret")
    map.add("metadata", metadataManifest(secret.metadata))
    map.add("type", ManifestKind.tlsSecretType)
    map.add("data", .map([.init("tls.crt", .string(secret.certificate)), .init("tls.key", .string(secret.key))]))
    return map.value
}

private func eipManifest(_ pool: AddressPool) -> ManifestValue {
    var map = objectHeader(kind: "Eip")
    map.add("metadata", metadataManifest(pool.metadata))
    var spec = MapBuilder()
    spec.add("address", pool.address)
    spec.add("protocol", pool.protocol)
    spec.add("interface", pool.interface)
    spec.add("disable", .bool(pool.disabled))
    map.add("spec", spec.value)
    return map.value
}

private func settingsManifest(_ settings: WorkspaceSettings) -> ManifestValue {
    var map = objectHeader(kind: "ConfigMap")
    map.add("metadata", metadataManifest(ObjectMeta(name: WorkspaceSettings.configMapName, namespace: settings.gatewayNamespace)))
    map.add("data", ManifestValue.sortedStrings([
        "nodePortRange": "\(settings.nodePortRange.lowerBound)-\(settings.nodePortRange.upperBound)",
        "autoDomainBase": settings.autoDomainBase,
        "gatewayNamespace": settings.gatewayNamespace,
        "gatewayFlavor": settings.gatewayFlavor.rawValue,
    ]))
    return map.value
}

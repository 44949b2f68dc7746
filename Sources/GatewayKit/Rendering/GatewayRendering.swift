/// The gateway's objects, in both of KubeSphere's flavours (see KUBESPHERE.md): the
/// `gateway.kubesphere.io/v1alpha1` Gateway, the Service `kubesphere-router-<project>`,
/// and the legacy router Deployment. Each is a pure function of the model, so that an
/// update never appends controller arguments twice (the KubeSphere router defect).
public enum GatewayObjects {
    /// Labels and selector of the legacy router's Service, Deployment and pods.
    public static func legacyLabels(project: String) -> [String: String] {
        ["app": "kubesphere", "component": "ks-router", "tier": "backend", "project": project]
    }

    /// Labels of the Service that KubeSphere's Gateway controller (a Helm release of
    /// ingress-nginx named `kubesphere-router-<project>-ingress`) creates.
    public static func helmLabels(project: String) -> [String: String] {
        helmSelector(project: project).merging(["app.kubernetes.io/managed-by": "Helm"]) { first, _ in first }
    }

    /// The selector of that Service: the controller pods of the release.
    public static func helmSelector(project: String) -> [String: String] {
        [
            "app.kubernetes.io/component": "controller",
            "app.kubernetes.io/instance": "\(Gateway.name(project: project))-ingress",
            "app.kubernetes.io/name": "ingress-nginx",
        ]
    }

    /// `"true"` or `"false"`, as the governance annotation and `sidecar.istio.io/inject` hold it.
    static func flag(_ on: Bool) -> String { on ? "true" : "false" }

    /// The gateway's Service `kubesphere-router-<project>` in the gateway namespace: ports
    /// `http` 80→80 and `https` 443→443 with the node ports assigned, the LoadBalancer
    /// annotations (and, legacy, the governance annotation), the flavour's labels and
    /// selector. It carries the gateway's resourceVersion only in the legacy flavour,
    /// where it is the gateway's primary object.
    public static func service(_ gateway: Gateway, flavor: GatewayFlavor) -> BackendService {
        var annotations = gateway.annotations
        let labels: [String: String]
        let selector: [String: String]
        switch flavor {
        case .gatewayCRD:
            labels = helmLabels(project: gateway.project)
            selector = helmSelector(project: gateway.project)
        case .legacyRouter:
            labels = legacyLabels(project: gateway.project)
            selector = labels
            annotations[KubeSphereAnnotation.governance] = flag(gateway.governance)
        }
        let meta = ObjectMeta(
            name: gateway.name, namespace: gateway.namespace, labels: labels, annotations: annotations,
            resourceVersion: flavor == .legacyRouter ? gateway.resourceVersion : nil,
            creationTimestamp: flavor == .legacyRouter ? gateway.creationTimestamp : nil)
        let ports = gateway.ports.map { port in
            ServicePort(name: port.name, port: port.port, targetPort: String(port.port), nodePort: port.nodePort)
        }
        var service = BackendService(
            metadata: meta, type: gateway.type.rawValue, ports: ports, selector: selector,
            externalIPs: gateway.externalIPs, loadBalancerIngress: gateway.loadBalancerIngress)
        service.stored = gateway.storedService
        return service
    }

    /// The legacy router Deployment of a gateway.
    public static func deployment(_ gateway: Gateway) -> RouterDeployment {
        RouterDeployment(
            project: gateway.project, namespace: gateway.namespace, replicas: gateway.replicas,
            governance: gateway.governance)
    }

    /// The arguments of the legacy `nginx-ingress-controller` container, in a fixed order.
    public static func controllerArguments(project: String) -> [String] {
        [
            "/nginx-ingress-controller",
            "--default-backend-service=$(POD_NAMESPACE)/default-http-backend",
            "--configmap=$(POD_NAMESPACE)/\(Gateway.name(project: project))-nginx",
            "--annotations-prefix=nginx.ingress.kubernetes.io",
            "--update-status",
            "--report-node-internal-ip-address",
            "--watch-namespace=\(project)",
        ]
    }

    static let controllerImage = "kubesphere/nginx-ingress-controller:v0.35.0"
    static let serviceAccount = "kubesphere-router-serviceaccount"
}

/// The Gateway custom resource with KubeSphere's field names. `status` mirrors the
/// Service as KubeSphere's controller writes it (`loadBalancer`, `service` ports), plus
/// `externalIPs`, which the free-form status keeps so that the model round-trips.
func gatewayManifest(_ gateway: Gateway) -> ManifestValue {
    var map = objectHeader(kind: "Gateway")
    map.add("metadata", metadataManifest(ObjectMeta(
        name: gateway.name, namespace: gateway.namespace, resourceVersion: gateway.resourceVersion,
        creationTimestamp: gateway.creationTimestamp)))

    var controller = MapBuilder()
    controller.add("replicas", gateway.replicas)
    controller.addSorted("config", gateway.config)
    controller.add("scope", .map([.init("enabled", .bool(true)), .init("namespace", .string(gateway.project))]))
    if let ingressClass = gateway.ingressClass {
        controller.add("ingressClassResource", .map([.init("name", .string(ingressClass))]))
    }
    var service = MapBuilder()
    service.add("type", gateway.type.rawValue)
    service.addSorted("annotations", gateway.annotations)
    var deployment = MapBuilder()
    deployment.add("replicas", gateway.replicas)
    deployment.addSorted("annotations", [KubeSphereAnnotation.governance: GatewayObjects.flag(gateway.governance)])
    map.add("spec", .map([
        .init("controller", controller.value), .init("service", service.value),
        .init("deployment", deployment.value),
    ]))

    var status = MapBuilder()
    status.add("loadBalancer", loadBalancerManifest(gateway.loadBalancerIngress))
    status.add("service", .list(gateway.ports.map { port in
        servicePortManifest(ServicePort(name: port.name, port: port.port, targetPort: String(port.port), nodePort: port.nodePort))
    }))
    status.addStrings("externalIPs", gateway.externalIPs)
    map.add("status", status.value)
    return map.value
}

/// The legacy router Deployment: labels `app: kubesphere, component: ks-router, tier:
/// backend, project: <project>`; governance on the Deployment and its pods, with
/// `sidecar.istio.io/inject` to match.
func routerDeploymentManifest(_ deployment: RouterDeployment) -> ManifestValue {
    let labels = GatewayObjects.legacyLabels(project: deployment.project)
    let governance = GatewayObjects.flag(deployment.governance)
    var map = objectHeader(kind: "Deployment")
    map.add("metadata", metadataManifest(ObjectMeta(
        name: deployment.name, namespace: deployment.namespace, labels: labels,
        annotations: [KubeSphereAnnotation.governance: governance], resourceVersion: deployment.resourceVersion)))

    let podMeta = metadataManifestWithoutName(labels: labels, annotations: [
        KubeSphereAnnotation.governance: governance, "sidecar.istio.io/inject": governance,
    ])
    let env: [ManifestValue] = ["POD_NAME": "metadata.name", "POD_NAMESPACE": "metadata.namespace"]
        .sorted { $0.key < $1.key }
        .map { name, path in
            .map([
                .init("name", .string(name)),
                .init("valueFrom", .map([.init("fieldRef", .map([.init("fieldPath", .string(path))]))])),
            ])
        }
    let container = ManifestValue.map([
        .init("name", .string("nginx-ingress-controller")),
        .init("image", .string(GatewayObjects.controllerImage)),
        .init("args", .list(GatewayObjects.controllerArguments(project: deployment.project).map(ManifestValue.string))),
        .init("env", .list(env)),
        .init("ports", .list([("http", 80), ("https", 443)].map { name, port in
            .map([.init("name", .string(name)), .init("containerPort", .int(port)), .init("protocol", .string("TCP"))])
        })),
    ])
    map.add("spec", .map([
        .init("replicas", .int(deployment.replicas)),
        .init("selector", .map([.init("matchLabels", ManifestValue.sortedStrings(labels))])),
        .init("template", .map([
            .init("metadata", podMeta),
            .init("spec", .map([
                .init("serviceAccountName", .string(GatewayObjects.serviceAccount)),
                .init("containers", .list([container])),
            ])),
        ])),
    ]))
    return map.value
}

private func metadataManifestWithoutName(labels: [String: String], annotations: [String: String]) -> ManifestValue {
    var map = MapBuilder()
    map.addSorted("labels", labels)
    map.addSorted("annotations", annotations)
    return map.value
}

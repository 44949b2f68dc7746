import GatewayKit

/// The demo workspace a first start creates. It reproduces the seed: project `demo` with
/// no gateway yet (so a newcomer walks Set Gateway), a node whose EIP is 139.198.0.20,
/// backend services and a route for demo.kubesphere.io; plus project `shop`, which has a
/// NodePort gateway and several routes (some with TLS, one with an auto-generated host),
/// and project `edge`, with a LoadBalancer gateway fed by an OpenELB address pool.
public enum DemoWorkspace {
    public static func objects(settings: WorkspaceSettings = WorkspaceSettings()) -> [KubeObject] {
        cluster + demo + shop + edge(settings: settings)
    }

    static let cluster: [KubeObject] = [
        .node(
            Node(
                metadata: ObjectMeta(name: "node1", labels: ["node-role.kubernetes.io/control-plane": ""]),
                addresses: [
                    NodeAddress(.externalIP, "139.198.0.20"), NodeAddress(.internalIP, "192.168.0.2"),
                    NodeAddress(.hostname, "node1"),
                ])),
        .node(
            Node(
                metadata: ObjectMeta(name: "node2", labels: ["node-role.kubernetes.io/worker": ""]),
                addresses: [NodeAddress(.internalIP, "192.168.0.3"), NodeAddress(.hostname, "node2")])),
        .addressPool(
            AddressPool(
                metadata: ObjectMeta(
                    name: "eip-pool", annotations: ["eip.openelb.kubesphere.io/is-default-eip": "true"]),
                address: "192.168.0.100-192.168.0.110", interface: "eth0")),
    ]

    static let demo: [KubeObject] = [
        .project(Project(name: "demo", alias: "Demo project")),
        service("demo", "nginx", port: 80, target: 18080), endpoints("demo", "nginx", target: 18080),
        service("demo", "web", port: 8080, target: 18081), endpoints("demo", "web", target: 18081),
        .secret(tlsSecret("demo", "demo-tls")),
        .route(
            Route(
                metadata: ObjectMeta(
                    name: "demo", namespace: "demo",
                    annotations: [KubeSphereAnnotation.alias: "Demo site", KubeSphereAnnotation.description: "The seed's route"]),
                rules: [rule("demo.kubesphere.io", [("/", "nginx", 80)])])),
    ]

    static let shop: [KubeObject] = [
        .project(Project(name: "shop", alias: "Online shop")),
        service("shop", "frontend", port: 80, target: 18082), endpoints("shop", "frontend", target: 18082),
        service("shop", "api", port: 8080, target: 18083), endpoints("shop", "api", target: 18083),
        service("shop", "admin", port: 9000, target: 18084), endpoints("shop", "admin", target: 18084),
        .secret(tlsSecret("shop", "shop-tls")),
        .gateway(
            Gateway(
                project: "shop",
                ports: [GatewayPort(name: "http", port: 80, nodePort: 31080), GatewayPort(name: "https", port: 443, nodePort: 31443)],
                config: ["proxy-body-size": "8m"])),
        .route(
            Route(
                metadata: ObjectMeta(name: "storefront", namespace: "shop", annotations: [KubeSphereAnnotation.alias: "Storefront"]),
                rules: [rule("shop.example.com", [("/", "frontend", 80)])],
                tls: [RouteTLS(hosts: ["shop.example.com"], secretName: "shop-tls")])),
        .route(
            Route(
                metadata: ObjectMeta(name: "api", namespace: "shop"),
                rules: [
                    RouteRule(
                        host: "api.shop.example.com",
                        paths: [
                            RoutePath(path: "/v1", pathType: .prefix, backend: RouteBackend(service: "api", port: 8080)),
                            RoutePath(path: "/admin", pathType: .exact, backend: RouteBackend(service: "admin", port: 9000)),
                        ])
                ],
                tls: [RouteTLS(hosts: ["api.shop.example.com"], secretName: "shop-tls")])),
        .route(
            Route(
                metadata: ObjectMeta(name: "status", namespace: "shop", annotations: [KubeSphereAnnotation.description: "Auto-generated host"]),
                rules: [rule("frontend.shop.139.198.0.20.nip.io", [("/status", "frontend", 80)])])),
    ]

    static func edge(settings: WorkspaceSettings) -> [KubeObject] {
        [
            .project(Project(name: "edge")),
            service("edge", "gateway-api", port: 8443, target: 18085), endpoints("edge", "gateway-api", target: 18085),
            .gateway(
                Gateway(
                    project: "edge", type: .loadBalancer,
                    // Fixed, as shop's are, so that no run of the demo can take a port the
                    // README's walkthrough asks for (30798, 31279).
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 32080), GatewayPort(name: "https", port: 443, nodePort: 32443)],
                    annotations: [
                        "lb.kubesphere.io/v1alpha1": "openelb", "protocol.openelb.kubesphere.io/v1alpha1": "layer2",
                        AddressPoolAssigner.poolAnnotation: "eip-pool",
                    ])),
            .route(
                Route(
                    metadata: ObjectMeta(name: "edge-api", namespace: "edge"),
                    rules: [rule("edge.example.com", [("/", "gateway-api", 8443)])])),
        ]
    }

    /// A backend Service and the EndpointSlice that says where it really listens: on
    /// loopback, so that the local gateway can reach a test backend there. The slice is
    /// marked as the demo's, naming a pod, so that `kgate serve` answers there itself
    /// while nothing else listens.
    private static func service(_ namespace: String, _ name: String, port: Int, target: Int) -> KubeObject {
        .service(
            BackendService(
                metadata: ObjectMeta(name: name, namespace: namespace, labels: ["app": name]),
                ports: [ServicePort(name: "http", port: port, targetPort: String(target))], selector: ["app": name]))
    }

    private static func endpoints(_ namespace: String, _ name: String, target: Int) -> KubeObject {
        .endpoints(
            BackendEndpoints(
                metadata: ObjectMeta(
                    name: "\(name)-local", namespace: namespace, annotations: [DemoBackend.annotation: "\(name)-demo-pod"]),
                serviceName: name,
                addresses: ["127.0.0.1"], ports: [EndpointPort(name: "http", port: target)]))
    }

    private static func rule(_ host: String, _ paths: [(String, String, Int)]) -> RouteRule {
        RouteRule(
            host: host,
            paths: paths.map { path, service, port in
                RoutePath(path: path, pathType: .implementationSpecific, backend: RouteBackend(service: service, port: port))
            })
    }

    /// A placeholder key pair: the demo's TLS secrets carry no real key material.
    private static func tlsSecret(_ namespace: String, _ name: String) -> TLSSecret {
        TLSSecret(
            metadata: ObjectMeta(name: name, namespace: namespace),
            certificate: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmRlbW8KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
            key: "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCmRlbW8KLS0tLS1FTkQgUFJJVkFURSBLRVktLS0tLQo=")
    }
}

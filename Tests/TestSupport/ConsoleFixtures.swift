import GatewayKit

/// The seed's world as an inventory, with CJK and emoji in the names the console shows:
/// project `demo` (网关演示) with a NodePort gateway on node ports 30798/31279 and a node
/// whose EIP is 139.198.0.20; project `rocket` (🚀 火箭) with a LoadBalancer gateway still
/// pending; project `empty` with no gateway at all.
public enum ConsoleFixtures {
    public static let eip = "139.198.0.20"
    public static let internalIP = "192.168.0.2"

    public static var demoGateway: Gateway {
        Gateway(
            project: "demo",
            ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)],
            config: ["worker-processes": "4"], resourceVersion: "7", creationTimestamp: "2019-03-20T18:56:00Z")
    }

    public static var rocketGateway: Gateway {
        Gateway(
            project: "rocket", type: .loadBalancer,
            annotations: [
                "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
                "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0",
            ], governance: true, resourceVersion: "3")
    }

    public static func route(
        _ name: String, project: String = "demo", alias: String? = nil, host: String, path: String = "/",
        service: String = "web", port: Int = 80, tlsSecret: String? = nil, resourceVersion: String = "1"
    ) -> Route {
        var route = Route(
            metadata: ObjectMeta(name: name, namespace: project, resourceVersion: resourceVersion),
            rules: [RouteRule(host: host, paths: [RoutePath(path: path, backend: RouteBackend(service: service, port: port))])],
            tls: tlsSecret.map { [RouteTLS(hosts: [host], secretName: $0)] } ?? [])
        route.alias = alias
        return route
    }

    public static var demoRoutes: [Route] {
        [
            route("demo", alias: "网关演示 🚀", host: "demo.kubesphere.io"),
            route("demo-secure", alias: "安全", host: "demo.kubesphere.io", tlsSecret: "demo-tls"),
            route("api", host: "api.demo.kubesphere.io", path: "/v1", service: "api", port: 8080),
            route("nginx-auto", host: "web.demo.\(internalIP).nip.io"),
        ]
    }

    public static func inventory(gateways: [Gateway]? = nil, routes: [Route]? = nil) -> Inventory {
        Inventory(
            projects: [
                Project(name: "demo", alias: "网关演示"), Project(name: "rocket", alias: "🚀 火箭发射台"),
                Project(name: "empty"),
            ],
            nodes: [
                Node(
                    metadata: ObjectMeta(name: "node1", labels: ["node-role.kubernetes.io/control-plane": ""]),
                    addresses: [NodeAddress(.internalIP, internalIP), NodeAddress(.externalIP, eip)])
            ],
            services: [
                BackendService(metadata: ObjectMeta(name: "web", namespace: "demo"), ports: [ServicePort(name: "http", port: 80)]),
                BackendService(
                    metadata: ObjectMeta(name: "api", namespace: "demo"),
                    ports: [ServicePort(name: "http", port: 8080), ServicePort(name: "metrics", port: 9090)]),
                BackendService(metadata: ObjectMeta(name: "web", namespace: "empty"), ports: [ServicePort(port: 80)]),
                BackendService(metadata: ObjectMeta(name: "launch", namespace: "rocket"), ports: [ServicePort(port: 80)]),
            ],
            secrets: [TLSSecret(metadata: ObjectMeta(name: "demo-tls", namespace: "demo"), certificate: "Y2VydA==", key: "a2V5")],
            routes: routes ?? demoRoutes + [route("launch", project: "rocket", alias: "🚀 发射", host: "launch.example.com", service: "launch")],
            gateways: gateways ?? [demoGateway, rocketGateway])
    }

    /// `count` routes in project `demo`, for the performance-shaped tests.
    public static func manyRoutes(_ count: Int) -> [Route] {
        (0..<count).map { i in
            route("route-\(String(i, radix: 10))", host: "host\(i).demo.kubesphere.io", path: "/p\(i % 97)", service: i % 2 == 0 ? "web" : "api")
        }
    }
}

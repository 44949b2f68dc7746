import GatewayKit

/// The seed's own figures: node EIP 139.198.0.20, node ports 30798/31279, host
/// demo.kubesphere.io.
enum Seed {
    static let node = Node(
        metadata: ObjectMeta(name: "node1"),
        addresses: [NodeAddress(.internalIP, "192.168.0.2"), NodeAddress(.externalIP, "139.198.0.20")])

    static let gateway = Gateway(
        project: "demo",
        ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)])

    static func route(tls: Bool = false) -> Route {
        Route(
            metadata: ObjectMeta(name: "demo", namespace: "demo"),
            rules: [RouteRule(host: "demo.kubesphere.io", paths: [RoutePath(backend: RouteBackend(service: "nginx", port: 80))])],
            tls: tls ? [RouteTLS(hosts: ["demo.kubesphere.io"], secretName: "demo-tls")] : [])
    }

    static var view: GatewayView { GatewayView(gateway: gateway, nodes: [node]) }
}

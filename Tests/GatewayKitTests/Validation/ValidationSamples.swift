import GatewayKit

/// Valid objects of every kind, the seed's where it has one: each test breaks one field.
enum ValidationSamples {
    static let range = 30000...32767

    static var route: Route {
        Route(
            metadata: ObjectMeta(
                name: "demo-route", namespace: "demo", labels: ["app": "web"],
                annotations: [KubeSphereAnnotation.alias: "演示路由", KubeSphereAnnotation.description: "The seed's route"]),
            ingressClassName: "kubesphere-router-demo",
            rules: [
                RouteRule(
                    host: "demo.kubesphere.io",
                    paths: [
                        RoutePath(path: "/", pathType: .implementationSpecific, backend: RouteBackend(service: "web", port: 80)),
                        RoutePath(path: "/api", pathType: .prefix, backend: RouteBackend(service: "api", portName: "http")),
                    ])
            ],
            tls: [RouteTLS(hosts: ["demo.kubesphere.io"], secretName: "demo-tls")])
    }

    static var gateway: Gateway {
        Gateway(
            project: "demo", type: .nodePort,
            ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)],
            annotations: ["service.beta.kubernetes.io/qingcloud-load-balancer-type": "0"],
            config: ["proxy-body-size": "8m"])
    }

    static var service: BackendService {
        BackendService(
            metadata: ObjectMeta(name: "web", namespace: "demo"), type: "NodePort",
            ports: [ServicePort(name: "http", port: 80, targetPort: "8080", nodePort: 30080), ServicePort(name: "metrics", port: 9090)],
            selector: ["app": "web"], clusterIP: "10.96.0.10")
    }

    static var node: Node {
        Node(metadata: ObjectMeta(name: "node1"), addresses: [
            NodeAddress(.externalIP, "139.198.0.20"), NodeAddress(.internalIP, "192.168.0.2"), NodeAddress(.hostname, "node1"),
        ])
    }

    static var secret: TLSSecret {
        TLSSecret(metadata: ObjectMeta(name: "demo-tls", namespace: "demo"), certificate: "LS0tLS1CRUdJTg==", key: "LS0tLS1CRUdJTiBL")
    }

    static var endpoints: BackendEndpoints {
        BackendEndpoints(
            metadata: ObjectMeta(name: "web-abc12", namespace: "demo"), serviceName: "web",
            addresses: ["127.0.0.1", "10.0.0.5"], ports: [EndpointPort(name: "http", port: 8080)])
    }

    static var pool: AddressPool {
        AddressPool(metadata: ObjectMeta(name: "eip-pool"), address: "192.168.0.91-192.168.0.100", interface: "eth0")
    }

    static var objects: [KubeObject] {
        [
            .project(Project(name: "demo", alias: "演示")), .node(node), .service(service), .endpoints(endpoints),
            .secret(secret), .route(route), .gateway(gateway), .routerDeployment(RouterDeployment(project: "demo")),
            .addressPool(pool), .settings(WorkspaceSettings()),
        ]
    }
}

import TestSupport
import GatewayKit

/// One object of every kind with every field set: what the golden and round-trip tests
/// render.
enum Samples {
    static let route = Route(
        metadata: ObjectMeta(
            name: "web", namespace: "demo", labels: ["app": "web", "tier": "frontend"],
            annotations: [
                KubeSphereAnnotation.alias: "Web site", KubeSphereAnnotation.description: "The demo's front page",
                KubeSphereAnnotation.serviceUpstream: "true",
            ],
            resourceVersion: "42", creationTimestamp: "2024-05-01T10:00:00Z"),
        ingressClassName: "kubesphere-router-demo",
        defaultBackend: RouteBackend(service: "fallback", portName: "http"),
        rules: [
            RouteRule(host: "demo.kubesphere.io", paths: [
                RoutePath(path: "/", pathType: .implementationSpecific, backend: RouteBackend(service: "web", port: 80)),
                RoutePath(path: "/api", pathType: .prefix, backend: RouteBackend(service: "api", portName: "grpc")),
                RoutePath(path: "/health", pathType: .exact, backend: RouteBackend(service: "web", port: 8080)),
            ]),
            RouteRule(host: "", paths: [RoutePath(path: "", pathType: nil, backend: RouteBackend(service: "web", port: 80))]),
            RouteRule(host: "*.example.com", paths: []),
        ],
        tls: [RouteTLS(hosts: ["demo.kubesphere.io"], secretName: "demo-tls"), RouteTLS(hosts: ["*.example.com"], secretName: nil)])

    static let gateway = Gateway(
        project: "demo", type: .loadBalancer,
        ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)],
        annotations: [
            "service.beta.kubernetes.io/qingcloud-load-balancer-eip-ids": "",
            "service.beta.kubernetes.io/qingcloud-load-balancer-type": "0",
        ],
        governance: true, replicas: 2, config: ["worker-processes": "4", "use-forwarded-headers": "true"],
        loadBalancerIngress: [LoadBalancerIngress(ip: "139.198.0.30"), LoadBalancerIngress(hostname: "lb.example.com")],
        externalIPs: ["192.168.0.9"], resourceVersion: "7", creationTimestamp: "2024-05-01T09:00:00Z")

    static let nodePortGateway = Gateway(
        project: "demo",
        ports: [GatewayPort(name: "http", port: 80, nodePort: 30798), GatewayPort(name: "https", port: 443, nodePort: 31279)])

    static let service = BackendService(
        metadata: ObjectMeta(name: "web", namespace: "demo", labels: ["app": "web"], annotations: ["note": "yes"], resourceVersion: "3"),
        type: "NodePort",
        ports: [
            ServicePort(name: "http", port: 80, targetPort: "8080", protocol: "TCP", nodePort: 30080),
            ServicePort(name: "grpc", port: 9090, targetPort: "grpc", protocol: "TCP"),
            ServicePort(port: 53, protocol: "UDP"),
        ],
        selector: ["app": "web", "tier": "frontend"], clusterIP: "10.96.0.10", externalIPs: ["192.168.0.5"],
        loadBalancerIngress: [LoadBalancerIngress(ip: "139.198.0.31", hostname: "web.example.com")])

    static let objects: [KubeObject] = [
        .project(Project(metadata: ObjectMeta(
            name: "demo", labels: ["kubesphere.io/workspace": "system-workspace"],
            annotations: [KubeSphereAnnotation.alias: "Demo", KubeSphereAnnotation.creator: "admin"], resourceVersion: "1"))),
        .node(Node(
            metadata: ObjectMeta(name: "node1", labels: ["node-role.kubernetes.io/control-plane": ""], resourceVersion: "2"),
            addresses: [
                NodeAddress(.externalIP, "139.198.0.20"), NodeAddress(.internalIP, "192.168.0.2"),
                NodeAddress(.hostname, "node1"), NodeAddress(.internalDNS, "node1.cluster.local"),
                NodeAddress(.externalDNS, "node1.example.com"),
            ])),
        .service(service),
        .endpoints(BackendEndpoints(
            metadata: ObjectMeta(name: "web-abc12", namespace: "demo", labels: ["app": "web"], resourceVersion: "4"),
            serviceName: "web", addressType: "IPv4", addresses: ["127.0.0.1", "127.0.0.2"],
            ports: [EndpointPort(name: "http", port: 8080, protocol: "TCP"), EndpointPort(port: 9090, protocol: "TCP")])),
        .secret(TLSSecret(
            metadata: ObjectMeta(name: "demo-tls", namespace: "demo", resourceVersion: "5"),
            certificate: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", key: "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==")),
        .route(route),
        .gateway(gateway),
        .routerDeployment(RouterDeployment(project: "demo", replicas: 2, governance: true, resourceVersion: "8")),
        .addressPool(AddressPool(
            metadata: ObjectMeta(name: "eip-pool", resourceVersion: "9"), address: "192.168.0.91-192.168.0.100",
            protocol: "layer2", interface: "eth0", disabled: true)),
        .settings(WorkspaceSettings(
            nodePortRange: 30000...32767, autoDomainBase: "sslip.io", gatewayNamespace: "kubesphere-controls-system",
            gatewayFlavor: .legacyRouter)),
    ]
}

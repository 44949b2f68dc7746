import GatewayKit

/// A project `web` whose routes exercise every rule of the renderer: each pathType, a TLS
/// host, a wildcard host, a host-less rule, a named port followed to its EndpointSlice, an
/// IPv6 endpoint, a backend with no endpoints (503), a missing service, a duplicate path
/// and a route that does not validate.
enum SampleInventory {
    static func make(httpNodePort: Int = 30080, httpsNodePort: Int = 30443, certificate: String = "Y2VydA==", key: String = "a2V5")
        -> Inventory
    {
        Inventory(
            projects: [Project(name: "web"), Project(name: "quiet")],
            services: [
                service("site", ports: [ServicePort(name: "http", port: 80, targetPort: "8080")]),
                service("api", ports: [ServicePort(name: "grpc", port: 9090), ServicePort(name: "web", port: 8000, targetPort: "http-alt")]),
                service("empty", ports: [ServicePort(port: 80, targetPort: "80")]),
            ],
            endpoints: [
                BackendEndpoints(
                    metadata: ObjectMeta(name: "site-b", namespace: "web"), serviceName: "site",
                    addresses: ["10.0.0.2", "10.0.0.1"], ports: [EndpointPort(name: "http", port: 8080)]),
                BackendEndpoints(
                    metadata: ObjectMeta(name: "site-a", namespace: "web"), serviceName: "site", addressType: "IPv6",
                    addresses: ["::1"], ports: [EndpointPort(name: "http", port: 8080)]),
                BackendEndpoints(
                    metadata: ObjectMeta(name: "api-1", namespace: "web"), serviceName: "api",
                    addresses: ["127.0.0.1"],
                    ports: [EndpointPort(name: "grpc", port: 19090), EndpointPort(name: "web", port: 18000)]),
            ],
            secrets: [TLSSecret(metadata: ObjectMeta(name: "site-tls", namespace: "web"), certificate: certificate, key: key)],
            routes: [
                route(
                    "site", created: "2024-01-01T00:00:00Z",
                    rules: [
                        RouteRule(host: "www.example.com", paths: [path("/", .prefix, "site", 80)]),
                        RouteRule(host: "*.apps.example.com", paths: [path("/", .implementationSpecific, "site", 80)]),
                    ],
                    tls: [RouteTLS(hosts: ["www.example.com"], secretName: "site-tls")]),
                route(
                    "api", created: "2024-02-01T00:00:00Z",
                    rules: [
                        RouteRule(
                            host: "www.example.com",
                            paths: [
                                path("/api/", .prefix, "api", name: "web"), path("/api", .exact, "api", 9090),
                                path("/healthz", .exact, "empty", 80), path("/legacy", .implementationSpecific, "gone", 80),
                            ]),
                        RouteRule(host: "", paths: [path("/status", .prefix, "site", 80)]),
                    ]),
                route(
                    "late", created: "2024-03-01T00:00:00Z",
                    rules: [RouteRule(host: "www.example.com", paths: [path("/", .implementationSpecific, "api", 9090)])]),
                route(
                    "broken", created: "2024-04-01T00:00:00Z",
                    rules: [RouteRule(host: "evil.example.com", paths: [path("/a;b", .implementationSpecific, "site", 80)])]),
            ],
            gateways: [
                Gateway(
                    project: "web",
                    ports: [GatewayPort(name: "http", port: 80, nodePort: httpNodePort), GatewayPort(name: "https", port: 443, nodePort: httpsNodePort)],
                    config: ["proxy-body-size": "16m"])
            ])
    }

    static func service(_ name: String, ports: [ServicePort]) -> BackendService {
        BackendService(metadata: ObjectMeta(name: name, namespace: "web"), ports: ports)
    }

    static func route(_ name: String, created: String, rules: [RouteRule], tls: [RouteTLS] = []) -> Route {
        Route(metadata: ObjectMeta(name: name, namespace: "web", creationTimestamp: created), rules: rules, tls: tls)
    }

    static func path(_ path: String, _ type: PathType, _ service: String, _ port: Int) -> RoutePath {
        RoutePath(path: path, pathType: type, backend: RouteBackend(service: service, port: port))
    }

    static func path(_ path: String, _ type: PathType, _ service: String, name: String) -> RoutePath {
        RoutePath(path: path, pathType: type, backend: RouteBackend(service: service, portName: name))
    }
}

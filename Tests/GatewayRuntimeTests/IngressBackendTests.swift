import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// Backends as kube-proxy and ingress-nginx reach them, through real nginx: a Service
/// port given by name, its EndpointSlices merged, endpoints not ready left out, and 503
/// when no endpoint is ready.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct IngressBackendTests {
    @Test func namedPortsMergedSlicesAndReadiness() async throws {
        let ports = try LoopbackHTTP.freePorts(3)
        let first = try NamedBackend(name: "first", port: ports[0])
        let second = try NamedBackend(name: "second", port: ports[1])
        let unready = try NamedBackend(name: "unready", port: ports[2])
        defer { [first, second, unready].forEach { $0.stop() } }

        // The Service port is named `web` and targets the pods' `http-alt`; its slices name
        // their port after the Service port, as the EndpointSlice controller does.
        let web = BackendService(
            metadata: ObjectMeta(name: "web", namespace: "web"), ports: [ServicePort(name: "web", port: 80, targetPort: "http-alt")])
        let down = BackendService(metadata: ObjectMeta(name: "down", namespace: "web"), ports: [ServicePort(name: "http", port: 8080)])
        func slice(_ name: String, _ service: String, port: Int, portName: String, ready: Bool = true) -> BackendEndpoints {
            BackendEndpoints(
                metadata: ObjectMeta(name: name, namespace: "web"), serviceName: service, addresses: ["127.0.0.1"],
                ports: [EndpointPort(name: portName, port: port)], notReadyAddresses: ready ? [] : ["127.0.0.1"])
        }
        let inventory = Inventory(
            projects: [Project(name: "web")], services: [web, down],
            endpoints: [
                slice("web-a", "web", port: ports[0], portName: "web"),
                slice("web-b", "web", port: ports[1], portName: "web"),
                slice("web-c", "web", port: ports[2], portName: "web", ready: false),
                // Another port name in the same Service's slice is not this backend's port.
                slice("web-d", "web", port: ports[2], portName: "metrics"),
                slice("down-a", "down", port: ports[2], portName: "http", ready: false),
            ],
            routes: [
                IngressMatchingTests.route(
                    "named", rules: [RouteRule(host: "web.test", paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", portName: "web"))])]),
                IngressMatchingTests.route("down", rules: [IngressMatchingTests.rule("down.test", "/", "down")]),
            ],
            gateways: [IngressMatchingTests.gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: []) { gateway in
            var answered: [String: Int] = [:]
            for _ in 0..<8 { answered[try gateway.served(host: "web.test", path: "/"), default: 0] += 1 }
            // Round robin over both ready slices; the endpoint that is not ready gets nothing.
            #expect(answered == ["first": 4, "second": 4])
            #expect(try gateway.served(host: "down.test", path: "/") == "status 503")
            #expect(gateway.plan.notes == ["route web/down: backend web/down:8080: no ready endpoints (503)"])
        }
    }
}

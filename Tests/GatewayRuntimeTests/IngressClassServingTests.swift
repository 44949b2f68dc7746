import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// Classes through real nginx: the gateway serves its class and routes with none.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct IngressClassServingTests {
    @Test func onlyTheGatewaysClassAndClasslessRoutesAreServed() async throws {
        func route(_ name: String, className: String? = nil, legacy: String? = nil) -> Route {
            var route = IngressMatchingTests.route(name, rules: [IngressMatchingTests.rule("\(name).test", "/", name)])
            route.ingressClassName = className
            if let legacy { route.metadata.annotations[IngressClass.legacyAnnotation] = legacy }
            return route
        }
        var gateway = IngressMatchingTests.gateway
        gateway.ingressClass = "kubesphere-router-web"
        let inventory = Inventory(
            projects: [Project(name: "web")],
            routes: [
                route("own", className: "kubesphere-router-web"), route("none"), route("legacy", legacy: "kubesphere-router-web"),
                route("other", className: "nginx"), route("old", legacy: "traefik"),
            ],
            gateways: [gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: ["own", "none", "legacy", "other", "old"]) { live in
            for (host, served) in [("own", "own"), ("none", "none"), ("legacy", "legacy"), ("other", "status 404"), ("old", "status 404")] {
                let answer = try live.served(host: "\(host).test", path: "/")
                #expect(answer == served, "\(host)")
            }
            #expect(live.plan.notes == [
                "route web/old: not served by this gateway: class traefik", "route web/other: not served by this gateway: class nginx",
            ])
        }
    }
}

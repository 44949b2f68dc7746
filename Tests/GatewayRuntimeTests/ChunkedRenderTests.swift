import GatewayKit
import Testing

@testable import GatewayRuntime

/// nginx.conf for many routes is planned and printed on several cores: the text and the
/// notes must be those of one core, whatever the number of chunks.
@Suite struct ChunkedRenderTests {
    /// Hosts enough for several chunks; every seventh has an HTTPRoute header case that
    /// needs an internal location, whose names count up across servers.
    static func plan(hosts: Int) -> NginxPlan {
        let servers = (0..<hosts).map { i -> NginxServer in
            var location = NginxLocation(match: .prefix("/"), target: .upstream("web.site.80"))
            location.origin = RouteOrigin(route: "web/r\(i)", path: "/")
            if i % 7 == 0 {
                location.headerCases = [
                    NginxHeaderCase(headers: [.init(name: "X-Canary", value: "yes")], target: .upstream("web.canary.80")),
                    NginxHeaderCase(headers: [.init(name: "X-Gone", value: "yes")], target: .notFound),
                ]
            }
            var server = NginxServer(host: String(format: "h%05d.example.com", i), tls: nil, locations: [location])
            if i % 11 == 0 { server.httpsLocations = [location] }
            return server
        }
        let site = NginxSite(
            project: "web", httpPort: 30080, httpsPort: 30443, sslRedirect: true, bodySize: nil, servers: servers,
            defaultLocations: [NginxLocation(match: .prefix("/"), target: .notFound)],
            defaultCertificate: SecretReference(namespace: "web", name: "tls"))
        return NginxPlan(
            listenAddress: "127.0.0.1", sites: [site],
            upstreams: [
                NginxUpstream(name: "web.canary.80", servers: ["127.0.0.1:18081"]),
                NginxUpstream(name: "web.site.80", servers: ["127.0.0.1:18080"]),
            ], secrets: [SecretReference(namespace: "web", name: "tls")], notes: [])
    }

    @Test(arguments: [2, 3, 5])
    func printedInChunksIsPrintedInOne(chunks: Int) throws {
        let plan = Self.plan(hosts: 5_003)
        let layout = NginxLayout(folder: "/run/kgate-test")
        let one = try Chunks.$most.withValue(1) { try NginxConfig.render(plan, layout: layout) }
        let several = try Chunks.$most.withValue(chunks) { try NginxConfig.render(plan, layout: layout) }
        #expect(several == one)
        // Header cases number their internal locations across every server: the last one
        // printed is the count of those that need one (one per seventh host, on http and,
        // for every eleventh, again on https).
        let internals = (0..<5_003).filter { $0 % 7 == 0 }.count + (0..<5_003).filter { $0 % 77 == 0 }.count
        #expect(one.contains("/_kgate-case-\(internals)/"))
        #expect(!one.contains("/_kgate-case-\(internals + 1)/"))
    }

    @Test func plannedInChunksIsPlannedInOne() throws {
        // Every third route does not validate: its note must come in route order.
        var inventory = Inventory(
            projects: [Project(name: "web")],
            services: [BackendService(metadata: ObjectMeta(name: "site", namespace: "web"), ports: [ServicePort(name: "http", port: 80)])],
            gateways: [
                Gateway(
                    project: "web",
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
        inventory.routes = (0..<3_001).map { i in
            Route(
                metadata: ObjectMeta(name: String(format: "r%05d", i), namespace: "web"),
                rules: [
                    RouteRule(
                        host: i % 3 == 0 ? "Bad\(i).example.com" : "h\(i).example.com",
                        paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "site", port: 80))])
                ])
        }
        let one = try Chunks.$most.withValue(1) { try NginxPlan.make(projects: ["web"], inventory: inventory) }
        let two = try Chunks.$most.withValue(2) { try NginxPlan.make(projects: ["web"], inventory: inventory) }
        #expect(two == one)
        let refused = one.notes.filter { $0.contains("is not served") }
        #expect(refused.count == 1_001)
        #expect(refused.first?.hasPrefix("route web/r00000 is not served: spec.rules[0].host") == true)
        #expect(refused.last?.hasPrefix("route web/r03000 is not served: spec.rules[0].host") == true)
    }
}

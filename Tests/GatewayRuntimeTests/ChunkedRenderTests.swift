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

    /// Routes whose hosts are named again far down the list, in other chunks of the work:
    /// the later claims are settled against the earlier ones, with their notes in route
    /// order, as on one core.
    @Test(arguments: [2, 3, 7])
    func hostsSharedAcrossChunksAreSettledInRouteOrder(chunks: Int) throws {
        var inventory = Inventory(
            projects: [Project(name: "web")],
            services: [
                BackendService(metadata: ObjectMeta(name: "site", namespace: "web"), ports: [ServicePort(name: "http", port: 80)])
            ],
            gateways: [
                Gateway(
                    project: "web",
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
        let count = 4_000
        inventory.routes = (0..<count).map { i in
            // Forty routes per host, spread over the whole list; every fifth route adds a
            // rule for a second host, with a backend whose Service is missing, and a second
            // rule for that host again; every ninth lists a host in TLS before any rule does.
            let host = "h\(i % 100).example.com"
            var rules = [
                RouteRule(
                    host: host,
                    paths: [
                        RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "site", port: 80)),
                        RoutePath(path: "/p\(i % 3)", pathType: .exact, backend: RouteBackend(service: "gone", port: 80)),
                    ])
            ]
            if i % 5 == 0 {
                let other = "x\(i % 50).example.com"
                rules.append(RouteRule(host: other, paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "gone", port: 80))]))
                rules.append(RouteRule(host: other, paths: [RoutePath(path: "/q", pathType: .prefix, backend: RouteBackend(service: "gone", port: 81))]))
            }
            return Route(
                metadata: ObjectMeta(name: String(format: "r%05d", i), namespace: "web"),
                defaultBackend: i % 7 == 0 ? RouteBackend(service: "gone", port: 82) : nil,
                rules: rules,
                tls: i % 9 == 0 ? [RouteTLS(hosts: ["t\(i % 30).example.com", host], secretName: "missing")] : [])
        }
        let one = try Chunks.$most.withValue(1) { try NginxPlan.make(projects: ["web"], inventory: inventory) }
        let several = try Chunks.$most.withValue(chunks) { try NginxPlan.make(projects: ["web"], inventory: inventory) }
        #expect(several == one)
        // The oldest route keeps each location; every later claim of it is noted.
        let server = try #require(one.sites.first?.servers.first { $0.host == "h42.example.com" })
        #expect(server.locations.first { $0.match == .prefix("/") }?.origin?.route == "web/r00042")
        let lost = one.notes.filter { $0.hasSuffix("location / is already served by route web/r00042") }
        #expect(lost.count == count / 100 - 1)
        #expect(lost.first == "route web/r00142: location / is already served by route web/r00042")
        #expect(lost.last == "route web/r03942: location / is already served by route web/r00042")
        // A route notes each 503 reason once, however many of its rules and hosts lead to it.
        #expect(one.notes.filter { $0 == "route web/r00005: backend web/gone:80: service not found (503)" }.count == 1)
        #expect(one.notes.contains("route web/r00005: backend web/gone:81: service not found (503)"))
        // A host listed in TLS alone gets no server.
        #expect(!one.sites[0].servers.contains { $0.host.hasPrefix("t") })
    }
}

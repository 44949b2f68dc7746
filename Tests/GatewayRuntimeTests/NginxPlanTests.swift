import GatewayKit
import Testing

@testable import GatewayRuntime

/// Routing decisions, read from the plan rather than the text.
@Suite struct NginxPlanTests {
    let plan: NginxPlan

    init() throws { plan = try NginxPlan.make(projects: ["web"], inventory: SampleInventory.make()) }

    private func server(_ host: String) -> NginxServer? { plan.sites.first?.servers.first { $0.host == host } }

    @Test func prefixPathsMatchElementWiseAndExactPathsExactly() throws {
        let www = try #require(server("www.example.com"))
        let matches = www.locations.map(\.match)
        // Prefix `/api/` → `/api/…` and the path itself; the route's own Exact `/api`
        // displaces the implicit one.
        #expect(matches.contains(.prefix("/api/")))
        #expect(www.locations.first { $0.match == .exact("/api") }?.target == .upstream("web.api.9090"))
        #expect(www.locations.first { $0.match == .prefix("/api/") }?.target == .upstream("web.api.8000"))
        #expect(PathLocations.claims(path: "/a/b/", type: .prefix).map(\.match) == [.prefix("/a/b/"), .exact("/a/b")])
        #expect(PathLocations.claims(path: "/", type: .prefix).map(\.match) == [.prefix("/")])
        #expect(PathLocations.claims(path: "/x", type: .implementationSpecific).map(\.match) == [.prefix("/x")])
        #expect(PathLocations.claims(path: "/x", type: .exact).map(\.match) == [.exact("/x")])
    }

    @Test func backendsFollowServicePortsToEndpointSlices() {
        let upstreams = Dictionary(uniqueKeysWithValues: plan.upstreams.map { ($0.name, $0.servers) })
        // Slices in name order, addresses in slice order, IPv6 in brackets.
        #expect(upstreams["web.site.80"] == ["[::1]:8080", "10.0.0.2:8080", "10.0.0.1:8080"])
        // By port name `web` (targetPort `http-alt`, a named container port) → slice port `web`.
        #expect(upstreams["web.api.8000"] == ["127.0.0.1:18000"])
        #expect(upstreams["web.api.9090"] == ["127.0.0.1:19090"])
    }

    @Test func missingEndpointsAndServicesAnswer503() throws {
        let www = try #require(server("www.example.com"))
        #expect(www.locations.first { $0.match == .exact("/healthz") }?.target == .unavailable)
        #expect(www.locations.first { $0.match == .prefix("/legacy") }?.target == .unavailable)
        #expect(plan.notes.contains("route web/api: backend web/empty:80: no ready endpoints (503)"))
        #expect(plan.notes.contains("route web/api: backend web/gone:80: service not found (503)"))
    }

    @Test func theOldestRouteWinsAPathAndTheLoserIsNoted() throws {
        let www = try #require(server("www.example.com"))
        #expect(www.locations.first { $0.match == .prefix("/") }?.target == .upstream("web.site.80"))
        #expect(plan.notes.contains("route web/late: location / is already served by route web/site"))
    }

    @Test func invalidRoutesAreLeftOutWithTheirReason() {
        #expect(server("evil.example.com") == nil)
        #expect(plan.notes.contains { $0.hasPrefix("route web/broken is not served: spec.rules[0].http.paths[0].path") })
    }

    @Test func hostlessRulesGoToTheDefaultServerAndUnknownHostsGet404() throws {
        let site = try #require(plan.sites.first)
        #expect(site.defaultLocations.first { $0.match == .prefix("/status/") }?.target == .upstream("web.site.80"))
        #expect(site.defaultLocations.first { $0.match == .prefix("/") }?.target == .notFound)
        let wildcard = try #require(server("*.apps.example.com"))
        #expect(wildcard.tls == nil)
    }

    @Test func tlsNeedsAUsableSecret() throws {
        #expect(server("www.example.com")?.tls == SecretReference(namespace: "web", name: "site-tls"))
        let without = try NginxPlan.make(projects: ["web"], inventory: SampleInventory.make()) { _ in false }
        #expect(without.sites.first?.servers.first { $0.host == "www.example.com" }?.tls == nil)
        #expect(without.secrets.isEmpty)
        #expect(without.notes.contains("route web/site: host www.example.com: TLS secret web/site-tls is not a valid kubernetes.io/tls certificate and key"))
        // Still a TLS host: never served over http, even without a certificate.
        #expect(without.sites.first?.servers.first { $0.host == "www.example.com" }?.isTLSHost == true)
        #expect(without.notes.contains { $0.hasPrefix("host www.example.com: no certificate to serve it over https with") })
    }

    /// ingress-nginx's default certificate: the first usable one serves TLS hosts without
    /// their own, and hosts no rule names.
    @Test func aTLSHostWithoutACertificateGetsTheDefaultOne() throws {
        var inventory = SampleInventory.make()
        inventory.routes[0].tls.append(RouteTLS(hosts: ["*.apps.example.com"], secretName: nil))
        let site = try #require(try NginxPlan.make(projects: ["web"], inventory: inventory).sites.first)
        let certificate = SecretReference(namespace: "web", name: "site-tls")
        #expect(site.defaultCertificate == certificate)
        let wildcard = try #require(site.servers.first { $0.host == "*.apps.example.com" })
        #expect(wildcard.isTLSHost && wildcard.tls == nil)
    }

    @Test func refusals() {
        let inventory = SampleInventory.make()
        #expect(throws: NginxRefusal("project quiet has no gateway: set one first (kgate gateway set quiet --type NodePort)")) {
            try NginxPlan.make(projects: ["quiet"], inventory: inventory)
        }
        #expect(throws: NginxRefusal.self) { try NginxPlan.make(projects: ["web"], inventory: inventory, listen: NginxListen(address: "localhost")) }
        #expect(throws: NginxRefusal.self) {
            try NginxPlan.make(projects: ["web"], inventory: inventory, listen: NginxListen(httpPort: 8080, httpsPort: 8080))
        }
        var lb = inventory
        lb.gateways[0].ports = GatewayPort.defaults
        #expect(throws: NginxRefusal.self) { try NginxPlan.make(projects: ["web"], inventory: lb) }
        let overridden = try? NginxPlan.make(projects: ["web"], inventory: lb, listen: NginxListen(httpPort: 8080, httpsPort: 8443))
        #expect(overridden?.sites.first?.httpPort == 8080)
    }

    @Test func servedURLsGiveAHostHeaderHint() {
        let urls = plan.servedURLs
        // A TLS host's http URL would only redirect: its https URL is the one given.
        #expect(!urls.contains { $0.url == "http://www.example.com:30080/" })
        #expect(urls.contains { $0.url == "https://www.example.com:30443/" && $0.hint.contains("--resolve www.example.com:30443:127.0.0.1") })
        #expect(urls.contains { $0.url == "http://www.apps.example.com:30080/" })
    }
    /// A route's 503 is noted once per reason, however many of its paths, hosts and its
    /// default backend lead to it; another route with the same reason gets its own note.
    @Test func eachRouteNotesEachUnavailableBackendOnce() throws {
        var inventory = Inventory(
            projects: [Project(name: "web")],
            gateways: [
                Gateway(
                    project: "web",
                    ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
        let gone = RouteBackend(service: "gone", port: 80)
        inventory.routes = [
            Route(
                metadata: ObjectMeta(name: "a", namespace: "web", creationTimestamp: "2026-01-01T00:00:00Z"),
                defaultBackend: gone,
                rules: [
                    RouteRule(host: "a.example.com", paths: [RoutePath(path: "/x", pathType: .prefix, backend: gone)]),
                    RouteRule(host: "b.example.com", paths: [RoutePath(path: "/y", pathType: .exact, backend: gone)]),
                ]),
            Route(
                metadata: ObjectMeta(name: "b", namespace: "web", creationTimestamp: "2026-01-02T00:00:00Z"),
                rules: [RouteRule(host: "a.example.com", paths: [RoutePath(path: "/z", pathType: .prefix, backend: gone)])]),
        ]
        let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
        let unavailable = plan.notes.filter { $0.hasSuffix("(503)") }
        #expect(
            unavailable == [
                "route web/a: backend web/gone:80: service not found (503)", "route web/b: backend web/gone:80: service not found (503)",
                "default backend: backend web/gone:80: service not found (503)",
            ])
        // The default backend answers where no path of route a's hosts matches.
        let a = try #require(plan.sites.first?.servers.first { $0.host == "a.example.com" })
        #expect(a.locations.first { $0.match == .prefix("/") }?.target == .unavailable)
    }
    /// A workspace's inventory says its routes passed validation, and the plan takes its
    /// word; a route added to it after clears that, and is validated (and refused) again.
    @Test func aRouteAddedToAValidatedInventoryIsValidatedAgain() throws {
        var inventory = SampleInventory.make()
        inventory.routes.removeAll { $0.name == "broken" }
        inventory.routesPassedValidation = true
        inventory.routes.append(
            Route(
                metadata: ObjectMeta(name: "late-broken", namespace: "web"),
                rules: [RouteRule(host: "evil.example.com", paths: [RoutePath(path: "/a b", pathType: .prefix, backend: RouteBackend(service: "site", port: 80))])]))
        let plan = try NginxPlan.make(projects: ["web"], inventory: inventory)
        #expect(plan.notes.contains { $0.hasPrefix("route web/late-broken is not served: spec.rules[0].http.paths[0].path") })
        #expect(plan.sites.first?.servers.contains { $0.host == "evil.example.com" } == false)
    }
}

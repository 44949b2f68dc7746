import GatewayKit
import Testing

/// Two routes claiming one host and path: the oldest serves it (ingress-nginx's rule), and
/// every view says so of the other instead of showing its URL.
@Suite("Path conflicts")
struct PathConflictsTests {
    static func route(
        _ name: String, created: String? = "2024-01-01T00:00:00Z", host: String = "web.example.com",
        _ paths: [(String, PathType)], className: String? = nil
    ) -> Route {
        var route = Route(
            metadata: ObjectMeta(name: name, namespace: "shop", creationTimestamp: created),
            rules: [
                RouteRule(
                    host: host,
                    paths: paths.map { RoutePath(path: $0.0, pathType: $0.1, backend: RouteBackend(service: "web", port: 80)) })
            ])
        route.ingressClassName = className
        return route
    }

    static func defaultBackendOnly(_ name: String, created: String) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: "shop", creationTimestamp: created),
            defaultBackend: RouteBackend(service: "web", port: 80), rules: [])
    }

    /// Losing places as `route rule.path → winner`.
    static func losers(_ routes: [Route], servedClass: String? = nil) -> [String] {
        let conflicts = PathConflicts.find(routes: routes, servedClass: servedClass)
        return routes.flatMap { route in
            AccessURL.all(route: route, gateway: nil, conflicts: conflicts).compactMap { access in
                conflicts.winner(of: .init(route: route.name, rule: access.ruleIndex, path: access.pathIndex)).map {
                    "\(route.name) \(access.ruleIndex).\(access.pathIndex) → \($0)"
                }
            }
        }.sorted()
    }

    @Test("the older route serves a host and path both claim, whatever their names or order")
    func oldestWins() {
        let old = Self.route("zeta", created: "2024-01-01T00:00:00Z", [("/", .prefix)])
        let new = Self.route("alpha", created: "2024-06-01T00:00:00Z", [("/", .prefix)])
        #expect(Self.losers([old, new]) == ["alpha 0.0 → zeta"])
        #expect(Self.losers([new, old]) == ["alpha 0.0 → zeta"])
    }

    @Test("the same timestamp: the name decides; no timestamp: after every one")
    func ties() {
        let b = Self.route("b", [("/x", .exact)])
        let a = Self.route("a", [("/x", .exact)])
        #expect(Self.losers([b, a]) == ["b 0.0 → a"])
        let unstamped = Self.route("a0", created: nil, [("/x", .exact)])
        #expect(Self.losers([unstamped, b]) == ["a0 0.0 → b"])
    }

    @Test(
        "paths claim nginx locations: Prefix /a and /a/ and ImplementationSpecific /a/ are one; Exact and other hosts apart",
        arguments: [
            ("/a", PathType.prefix, "/a/", PathType.prefix, true),
            ("/a/", .prefix, "/a", .prefix, true),
            ("/a", .prefix, "/a/", .implementationSpecific, true),
            ("/a", .prefix, "/a", .implementationSpecific, false),
            ("/a", .prefix, "/a", .exact, false),
            ("/a", .exact, "/a", .exact, true),
            ("/", .prefix, "/", .implementationSpecific, true),
            ("/", .prefix, "", .implementationSpecific, true),
            ("/a/", .implementationSpecific, "/a", .implementationSpecific, false),
            ("/a", .implementationSpecific, "/a", .implementationSpecific, true),
            ("/a", .exact, "/a/", .exact, false),
        ] as [(String, PathType, String, PathType, Bool)])
    func locations(first: String, firstType: PathType, second: String, secondType: PathType, conflict: Bool) {
        let old = Self.route("old", created: "2024-01-01T00:00:00Z", [(first, firstType)])
        let new = Self.route("new", created: "2024-02-01T00:00:00Z", [(second, secondType)])
        #expect(Self.losers([old, new]) == (conflict ? ["new 0.0 → old"] : []))
        var elsewhere = new
        elsewhere.rules[0].host = "other.example.com"
        #expect(Self.losers([old, elsewhere]).isEmpty)
    }

    @Test("a route the gateway does not serve (another class, or invalid) takes no path from a newer one")
    func onlyServedRoutesClaim() {
        let otherClass = Self.route("other", created: "2024-01-01T00:00:00Z", [("/", .prefix)], className: "traefik")
        // Invalid by its second path: the whole route is not served, its `/` included.
        let invalid = Self.route("invalid", created: "2024-01-02T00:00:00Z", [("/", .prefix), ("/a b", .exact)])
        let served = Self.route("served", created: "2024-02-01T00:00:00Z", [("/", .prefix)])
        #expect(!Validate.route(invalid).isEmpty)
        #expect(Self.losers([otherClass, served]).isEmpty)
        #expect(Self.losers([otherClass, served], servedClass: "traefik") == ["served 0.0 → other"])
        #expect(Self.losers([invalid, served]).isEmpty)
        // A route of another class never loses a place either: it has none.
        let newerOther = Self.route("newer", created: "2024-03-01T00:00:00Z", [("/", .prefix)], className: "traefik")
        #expect(Self.losers([served, newerOther]).isEmpty)
    }

    @Test("a route repeating its own path loses the repeat to itself")
    func repeatWithinARoute() {
        let route = Self.route("twice", [("/a", .prefix), ("/a/", .prefix)])
        let conflicts = PathConflicts.find(routes: [route])
        #expect(conflicts.winner(of: .init(route: "twice", rule: 0, path: 1)) == "twice")
        #expect(
            AccessURL.all(route: route, gateway: nil, conflicts: conflicts).map(\.notServed)
                == [nil, "not served: an earlier path of this route claims it"])
        #expect(conflicts.winner(of: .init(route: "twice", rule: 0, path: 0)) == nil)
    }

    @Test("a route of only a default backend: served when no older one and no host-less / is")
    func defaultBackends() {
        let first = Self.defaultBackendOnly("first", created: "2024-01-01T00:00:00Z")
        let second = Self.defaultBackendOnly("second", created: "2024-02-01T00:00:00Z")
        #expect(Self.losers([second, first]) == ["second 0.0 → first"])
        // A host-less `/` takes the place whatever its age.
        let root = Self.route("root", created: "2024-09-01T00:00:00Z", host: "", [("/", .prefix)])
        #expect(Self.losers([first, root]) == ["first 0.0 → root"])
        // A host-less other path leaves it.
        let status = Self.route("status", created: "2024-09-01T00:00:00Z", host: "", [("/status", .prefix)])
        #expect(Self.losers([first, status]).isEmpty)
    }

    @Test("AccessURL shows why instead of the URL of a path that lost, and the URL of the rest")
    func accessURLs() {
        let old = Self.route("old", created: "2024-01-01T00:00:00Z", [("/", .prefix)])
        let new = Self.route("new", created: "2024-02-01T00:00:00Z", [("/", .prefix), ("/other", .prefix)])
        let conflicts = PathConflicts.find(routes: [old, new])
        let urls = AccessURL.all(route: new, gateway: Seed.view, conflicts: conflicts)
        #expect(urls.map(\.notServed) == ["not served: route old claimed it first", nil])
        #expect(urls.map(\.url) == [nil, "http://web.example.com:30798/other"])
    }

    @Test("the route being edited is checked against the others in its stead, its own old version left out")
    func checkingOneRoute() {
        let old = Self.route("old", created: "2024-01-01T00:00:00Z", [("/", .prefix)])
        let edited = Self.route("edited", created: "2024-02-01T00:00:00Z", [("/b", .prefix)])
        let claims = PathConflicts.Claims(routes: [old, edited])
        // The stored `edited` claims /b; its new version claims / (old's) and /b (its own).
        let typed = Self.route("edited", created: "2024-02-01T00:00:00Z", [("/", .prefix), ("/b", .prefix)])
        let conflicts = claims.conflicts(of: typed)
        #expect(conflicts.winner(of: .init(route: "edited", rule: 0, path: 0)) == "old")
        #expect(conflicts.winner(of: .init(route: "edited", rule: 0, path: 1)) == nil)
        // A new route, with no timestamp yet, comes after every stored one.
        let fresh = Self.route("aaa", created: nil, [("/b/", .implementationSpecific)])
        #expect(claims.conflicts(of: fresh).winner(of: .init(route: "aaa", rule: 0, path: 0)) == "edited")
        // An older route takes the path: the newer one loses it, not this one.
        let older = Self.route("older", created: "2023-01-01T00:00:00Z", [("/", .prefix)])
        #expect(claims.conflicts(of: older).isEmpty)
        // It agrees with checking the whole project.
        #expect(claims.conflicts(of: typed) == PathConflicts.find(routes: [old, typed]))
    }
}

import GatewayKit
import GatewayRuntime
import TestSupport
import Testing

/// Ingress v1 host and path matching through real nginx and real HTTP: every row of the
/// Kubernetes API reference's path examples table, and the host rules of the Ingress
/// concept page. Each row is an Ingress of its own (own host) whose `defaultBackend` is
/// the Service `default`, so "does not match" shows as the default backend answering.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct IngressMatchingTests {
    struct PathRow: CustomTestStringConvertible, Sendable {
        var paths: [(path: String, type: PathType)]
        var request: String
        /// The matching path's Service (`<type>-<path words>[-slash]`), or `default`.
        var served: String
        var testDescription: String { "\(paths.map { "\($0.type.rawValue) \($0.path)" }) ← \(request)" }
    }

    /// kubernetes.io/docs/concepts/services-networking/ingress/#examples, in its order.
    static let pathExamples: [PathRow] = [
        PathRow(paths: [("/", .prefix)], request: "/", served: "prefix-root"),
        PathRow(paths: [("/", .prefix)], request: "/any/path", served: "prefix-root"),
        PathRow(paths: [("/foo", .exact)], request: "/foo", served: "exact-foo"),
        PathRow(paths: [("/foo", .exact)], request: "/bar", served: "default"),
        PathRow(paths: [("/foo", .exact)], request: "/foo/", served: "default"),
        PathRow(paths: [("/foo/", .exact)], request: "/foo", served: "default"),
        PathRow(paths: [("/foo", .prefix)], request: "/foo", served: "prefix-foo"),
        PathRow(paths: [("/foo", .prefix)], request: "/foo/", served: "prefix-foo"),
        PathRow(paths: [("/foo/", .prefix)], request: "/foo", served: "prefix-foo-slash"),
        PathRow(paths: [("/foo/", .prefix)], request: "/foo/", served: "prefix-foo-slash"),
        PathRow(paths: [("/aaa/bb", .prefix)], request: "/aaa/bbb", served: "default"),
        PathRow(paths: [("/aaa/bbb", .prefix)], request: "/aaa/bbb", served: "prefix-aaa-bbb"),
        PathRow(paths: [("/aaa/bbb/", .prefix)], request: "/aaa/bbb", served: "prefix-aaa-bbb-slash"),
        PathRow(paths: [("/aaa/bbb", .prefix)], request: "/aaa/bbb/", served: "prefix-aaa-bbb"),
        PathRow(paths: [("/aaa/bbb", .prefix)], request: "/aaa/bbb/ccc", served: "prefix-aaa-bbb"),
        PathRow(paths: [("/aaa/bbb", .prefix)], request: "/aaa/bbbxyz", served: "default"),
        PathRow(paths: [("/", .prefix), ("/aaa", .prefix)], request: "/aaa/ccc", served: "prefix-aaa"),
        PathRow(paths: [("/", .prefix), ("/aaa", .prefix), ("/aaa/bbb", .prefix)], request: "/aaa/bbb", served: "prefix-aaa-bbb"),
        PathRow(paths: [("/", .prefix), ("/aaa", .prefix), ("/aaa/bbb", .prefix)], request: "/ccc", served: "prefix-root"),
        PathRow(paths: [("/aaa", .prefix)], request: "/ccc", served: "default"),
        PathRow(paths: [("/foo", .prefix), ("/foo", .exact)], request: "/foo", served: "exact-foo"),
        // Beyond the table: the longest match wins across types, paths are case-sensitive,
        // and ImplementationSpecific is ingress-nginx's plain prefix (no element rule).
        PathRow(paths: [("/foo", .exact), ("/foo/bar", .prefix)], request: "/foo/bar/baz", served: "prefix-foo-bar"),
        PathRow(paths: [("/foo/", .exact), ("/foo", .prefix)], request: "/foo/", served: "exact-foo-slash"),
        PathRow(paths: [("/foo/", .exact), ("/", .prefix)], request: "/foo", served: "prefix-root"),
        PathRow(paths: [("/foo", .prefix)], request: "/FOO", served: "default"),
        PathRow(paths: [("/foo", .implementationSpecific)], request: "/foobar", served: "implementationspecific-foo"),
        PathRow(paths: [("/foo/", .implementationSpecific)], request: "/foo", served: "default"),
    ]

    /// The Service a path sends to: names a row's answer can be told by.
    static func service(_ path: String, _ type: PathType) -> String {
        let words = path.split(separator: "/").map(String.init)
        let name = path == "/" ? "root" : (words + (path.hasSuffix("/") ? ["slash"] : [])).joined(separator: "-")
        return "\(type.rawValue.lowercased())-\(name)"
    }

    @Test func everyRowOfTheAPIReferencePathExamples() async throws {
        let rows = Self.pathExamples
        var inventory = Inventory(projects: [Project(name: "web")], gateways: [Self.gateway])
        for (index, row) in rows.enumerated() {
            let paths = row.paths.map { path, type in
                RoutePath(path: path, pathType: type, backend: RouteBackend(service: Self.service(path, type), port: 8080))
            }
            inventory.routes.append(
                Route(
                    metadata: ObjectMeta(name: "row\(index)", namespace: "web"),
                    defaultBackend: RouteBackend(service: "default", port: 8080),
                    rules: [RouteRule(host: "row\(index).paths.test", paths: paths)]))
        }
        let services = Set(rows.flatMap { $0.paths.map { Self.service($0.path, $0.type) } } + ["default"]).sorted()
        try await LiveGateway.serving(project: "web", inventory: inventory, services: services) { gateway in
            #expect(gateway.plan.notes == [])
            for (index, row) in rows.enumerated() {
                let served = try gateway.served(host: "row\(index).paths.test", path: row.request)
                #expect(served == row.served, "\(row.testDescription)")
            }
        }
    }

    struct HostRow: Sendable {
        var host: String
        var path = "/"
        var served: String
    }

    /// The concept page's host rules and the conformance scenarios' hosts.
    static let hostRoutes: [Route] = [
        route("wild", rules: [rule("*.foo.com", "/", "wildcard-foo-com")]),
        route("exact", rules: [rule("exact.foo.com", "/", "exact-foo-com"), rule("foo.bar.com", "/", "foo-bar-com")]),
        route("api", rules: [rule("api.bar.com", "/api", "api")]),
    ]

    static let hostRows: [HostRow] = [
        HostRow(host: "foo.bar.com", served: "foo-bar-com"),
        HostRow(host: "bar.foo.com", served: "wildcard-foo-com"),
        HostRow(host: "exact.foo.com", served: "exact-foo-com"),
        HostRow(host: "EXACT.Foo.COM:8080", served: "exact-foo-com"),
        HostRow(host: "Bar.FOO.com:80", served: "wildcard-foo-com"),
        HostRow(host: "a-1.foo.com", path: "/deep/path", served: "wildcard-foo-com"),
        HostRow(host: "api.bar.com", path: "/api/v1", served: "api"),
    ]

    /// Without a rule that has no host, nothing else is served.
    static let unclaimedRows: [HostRow] = [
        HostRow(host: "subdomain.bar.com", served: "status 404"),
        HostRow(host: "baz.bar.foo.com", served: "status 404"),
        HostRow(host: "foo.com", served: "status 404"),
        HostRow(host: "xfoo.com", served: "status 404"),
        HostRow(host: "api.bar.com", path: "/other", served: "status 404"),
    ]

    /// With one, it takes every host no rule names; a named host keeps its own 404.
    static let hostlessRows: [HostRow] = [
        HostRow(host: "subdomain.bar.com", served: "hostless"),
        HostRow(host: "baz.bar.foo.com", served: "hostless"),
        HostRow(host: "foo.com", path: "/x", served: "hostless"),
        HostRow(host: "127.0.0.1", served: "hostless"),
        HostRow(host: "api.bar.com", path: "/other", served: "status 404"),
    ]

    @Test func hostRulesAsTheIngressConceptPageDefinesThem() async throws {
        let services = ["wildcard-foo-com", "exact-foo-com", "foo-bar-com", "api", "hostless"]
        var inventory = Inventory(projects: [Project(name: "web")], routes: Self.hostRoutes, gateways: [Self.gateway])
        try await LiveGateway.serving(project: "web", inventory: inventory, services: services) { gateway in
            for row in Self.hostRows + Self.unclaimedRows {
                let served = try gateway.served(host: row.host, path: row.path)
                #expect(served == row.served, "\(row.host)\(row.path)")
            }
        }
        inventory.routes.append(Self.route("hostless", rules: [Self.rule("", "/", "hostless")]))
        try await LiveGateway.serving(project: "web", inventory: inventory, services: services) { gateway in
            for row in Self.hostRows + Self.hostlessRows {
                let served = try gateway.served(host: row.host, path: row.path)
                #expect(served == row.served, "\(row.host)\(row.path)")
            }
        }
    }

    /// An Ingress with only a default backend takes everything no rule claims, whatever
    /// the method; a host named by a rule without paths is its Ingress's default backend's.
    @Test func defaultBackendsTakeWhatNoRuleClaims() async throws {
        let inventory = Inventory(
            projects: [Project(name: "web")],
            routes: [
                Self.route("only-default", created: "2024-01-01T00:00:00Z", defaultBackend: "echo", rules: []),
                Self.route(
                    "host-only", created: "2024-02-01T00:00:00Z", defaultBackend: "host-default",
                    rules: [RouteRule(host: "a.example.com", paths: [])]),
                Self.route("api", created: "2024-03-01T00:00:00Z", rules: [Self.rule("api.example.com", "/api", "api")]),
            ],
            gateways: [Self.gateway])
        let rows: [(method: String, host: String, path: String, served: String)] = [
            ("GET", "my-host", "/", "echo"),
            ("GET", "my-host", "/sub-path", "echo"),
            ("POST", "some-host", "/", "echo"),
            ("PUT", "some-host", "/resource", "echo"),
            ("DELETE", "some-host", "/resource", "echo"),
            ("PATCH", "my-host", "/resource", "echo"),
            ("GET", "a.example.com", "/anything", "host-default"),
            ("GET", "api.example.com", "/api/v1", "api"),
            ("GET", "api.example.com", "/other", "status 404"),
        ]
        try await LiveGateway.serving(project: "web", inventory: inventory, services: ["echo", "host-default", "api"]) { gateway in
            #expect(gateway.plan.notes == [])
            for row in rows {
                let served = try gateway.served(row.method, host: row.host, path: row.path)
                #expect(served == row.served, "\(row.method) \(row.host)\(row.path)")
            }
        }
    }

    static func route(_ name: String, created: String? = nil, defaultBackend: String? = nil, rules: [RouteRule]) -> Route {
        Route(
            metadata: ObjectMeta(name: name, namespace: "web", creationTimestamp: created),
            defaultBackend: defaultBackend.map { RouteBackend(service: $0, port: 8080) }, rules: rules)
    }

    static func rule(_ host: String, _ path: String, _ service: String, _ type: PathType = .prefix) -> RouteRule {
        RouteRule(host: host, paths: [RoutePath(path: path, pathType: type, backend: RouteBackend(service: service, port: 8080))])
    }

    static let gateway = Gateway(
        project: "web", ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
}

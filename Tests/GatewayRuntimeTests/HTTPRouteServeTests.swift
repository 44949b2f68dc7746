import Foundation
import GatewayKit
import TestSupport
import Testing

@testable import GatewayRuntime

/// `kgate serve` of stored HTTPRoutes (issue 14 item 5) through real nginx: the same
/// requests to a project's Ingresses and to the HTTPRoutes GatewayKit converts them to
/// get the same answers; weighted backends, header matches, rewrites and redirects do
/// what the Gateway API says.
@Suite(.enabled(if: NginxBinary.locate() != nil, "nginx is not installed"), .serialized)
struct HTTPRouteServeTests {
    /// One answer as a test compares them: status, the backend that answered (with the
    /// Host and path it saw), and the redirect's Location.
    struct Answer: Equatable, CustomStringConvertible {
        var status: Int
        var body: String
        var location: String?
        var description: String { "\(status) \(location ?? "") \(body)" }
    }

    static func ask(_ port: Int, host: String, path: String, headers: [String] = []) throws -> Answer {
        let response = try LoopbackHTTP.request("GET", port: port, host: host, path: path, headers: headers)
        let location = response.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }
            .map { String($0.dropFirst("location:".count)).trimmingCharacters(in: .whitespaces) }
        // A backend's answer names it; nginx's own pages differ between versions, so only their status counts.
        let body = response.body.hasPrefix("backend=") ? response.body : ""
        return Answer(status: response.status, body: body, location: location)
    }

    /// The Ingresses of project demo: Prefix, Exact and nested paths on one host, and a
    /// TLS host that ingress-nginx redirects to https.
    static func ingressInventory(certificate: (certificate: String, key: String)) -> Inventory {
        let backend = { (service: String) in RouteBackend(service: service, port: 8080) }
        return Inventory(
            projects: [Project(name: "demo")],
            secrets: [TLSSecret(metadata: ObjectMeta(name: "secure-tls", namespace: "demo"), certificate: certificate.certificate, key: certificate.key)],
            routes: [
                Route(
                    metadata: ObjectMeta(name: "site", namespace: "demo"),
                    rules: [
                        RouteRule(host: "site.example.com", paths: [
                            RoutePath(path: "/", pathType: .prefix, backend: backend("web")),
                            RoutePath(path: "/exact", pathType: .exact, backend: backend("api")),
                            RoutePath(path: "/api", pathType: .prefix, backend: backend("api")),
                            RoutePath(path: "/api/v2/", pathType: .prefix, backend: backend("web")),
                        ])
                    ]),
                Route(
                    metadata: ObjectMeta(name: "secure", namespace: "demo"),
                    rules: [RouteRule(host: "secure.example.com", paths: [RoutePath(path: "/", pathType: .prefix, backend: backend("api"))])],
                    tls: [RouteTLS(hosts: ["secure.example.com"], secretName: "secure-tls")]),
            ],
            gateways: [
                Gateway(project: "demo", ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
    }

    /// `objects` as a store holds them: rendered, parsed back, each accepted by validation.
    static func stored(_ manifests: [ManifestValue]) throws -> [GatewayAPIObject] {
        try manifests.map { manifest in
            let parsed = ManifestParser.objectsOf(manifest)
            guard case .success(.gatewayAPI(let object))? = parsed.first else {
                throw LoopbackError("not a Gateway API object: \(parsed)")
            }
            let errors = Validate.object(.gatewayAPI(object), settings: WorkspaceSettings())
            guard errors.isEmpty else { throw LoopbackError("\(object.reference) does not validate: \(errors)") }
            return object
        }
    }

    @Test func anIngressAndItsHTTPRouteAnswerTheSame() async throws {
        let pair = try TestCertificates.make(host: "secure.example.com")
        let ingresses = Self.ingressInventory(certificate: pair)
        let set = GatewayAPIConversion.convert(ingresses, project: "demo")
        var migrated = ingresses
        migrated.routes = []
        migrated.gatewayAPI = try Self.stored(GatewayAPIRenderer.manifests(set))

        let requests: [(host: String, path: String)] = [
            ("site.example.com", "/"), ("site.example.com", "/page?x=1"), ("site.example.com", "/exact"),
            ("site.example.com", "/exact/"), ("site.example.com", "/api"), ("site.example.com", "/api/items"),
            ("site.example.com", "/apix"), ("site.example.com", "/api/v2"), ("site.example.com", "/api/v2/x"),
            ("secure.example.com", "/"), ("secure.example.com", "/deep/page?q=2"), ("unknown.example.com", "/"),
        ]
        var answers: [String: [Answer]] = [:]
        for (label, inventory) in [("Ingress", ingresses), ("HTTPRoute", migrated)] {
            try await LiveGateway.serving(project: "demo", inventory: inventory, services: ["web", "api"]) { gateway in
                var list: [Answer] = []
                for request in requests {
                    var answer = try Self.ask(gateway.httpPort, host: request.host, path: request.path)
                    // The ports differ between the two runs; the rest of the Location must not.
                    answer.location = answer.location?.replacingOccurrences(of: ":\(gateway.httpsPort)/", with: ":HTTPS/")
                    list.append(answer)
                }
                let secure = try HTTPSClient.get(port: gateway.httpsPort, host: "secure.example.com", path: "/over/tls")
                list.append(Answer(status: secure.status ?? 0, body: secure.body, location: nil))
                answers[label] = list
            }
        }
        let ingressAnswers = try #require(answers["Ingress"])
        let routeAnswers = try #require(answers["HTTPRoute"])
        for (index, request) in requests.enumerated() {
            #expect(ingressAnswers[index] == routeAnswers[index], "\(request.host)\(request.path)")
        }
        #expect(ingressAnswers.last == routeAnswers.last, "https secure.example.com/over/tls")
        // The answers are the ones that matter, not merely equal.
        #expect(routeAnswers[2].body.hasPrefix("backend=api "))
        #expect(routeAnswers[3].body.hasPrefix("backend=web "))
        #expect(routeAnswers[6].body.hasPrefix("backend=web "))
        #expect(routeAnswers[9].status == 308)
        #expect(routeAnswers[10].location == "https://secure.example.com:HTTPS/deep/page?q=2")
        #expect(routeAnswers[11].status == 404)
        #expect(routeAnswers.last?.body.hasPrefix("backend=api host=secure.example.com path=/over/tls") == true)
    }

    static let routesYAML = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: local, namespace: demo}
        spec:
          gatewayClassName: nginx
          listeners:
          - {name: http, port: 80, protocol: HTTP, hostname: routes.example.com}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: features, namespace: demo, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec:
          parentRefs: [{name: local}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /split}}]
            backendRefs: [{name: web, port: 8080, weight: 3}, {name: api, port: 8080, weight: 1}]
          - matches: [{path: {type: PathPrefix, value: /hdr}, headers: [{name: X-Canary, value: "yes"}]}]
            backendRefs: [{name: api, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /hdr}, headers: [{name: X-Canary, value: "yes"}, {name: X-Region, value: eu}]}]
            backendRefs: [{name: extra, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /hdr}}]
            backendRefs: [{name: web, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /only-header}, headers: [{name: X-Canary, value: "yes"}]}]
            backendRefs: [{name: api, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs: [{name: extra, port: 8080}]
          - matches: [{path: {type: PathPrefix, value: /old}}]
            filters:
            - type: URLRewrite
              urlRewrite: {hostname: rewritten.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
            backendRefs: [{name: web, port: 8080}]
          - matches: [{path: {type: Exact, value: /whole}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /replaced}}}]
            backendRefs: [{name: api, port: 8080}]
          - matches: [{path: {type: Exact, value: /moved}}]
            filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: elsewhere.example.com, statusCode: 301}}]
          - matches: [{path: {type: PathPrefix, value: /hdr}, headers: [{name: X-Go, value: away}]}]
            filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /landed}}}]
        """

    static func featureInventory() throws -> Inventory {
        var inventory = Inventory(
            projects: [Project(name: "demo")],
            gateways: [
                Gateway(project: "demo", ports: [GatewayPort(name: "http", port: 80, nodePort: 30080), GatewayPort(name: "https", port: 443, nodePort: 30443)])
            ])
        let parsed = ManifestParser.parse(routesYAML, source: "routes.yaml")
        try #require(parsed.problems.isEmpty, "\(parsed.problems)")
        inventory.gatewayAPI = try stored(parsed.objects.map(ManifestValue.init))
        return inventory
    }

    @Test func servesWeightsHeaderMatchesRewritesAndRedirects() async throws {
        let inventory = try Self.featureInventory()
        try await LiveGateway.serving(project: "demo", inventory: inventory, services: ["web", "api", "extra"]) { gateway in
            let host = "routes.example.com"
            let ask = { (path: String, headers: [String]) in try Self.ask(gateway.httpPort, host: host, path: path, headers: headers) }
            // Weighted backendRefs: 3 to 1, as nginx's weighted round robin deals them.
            var counts: [String: Int] = [:]
            for _ in 0..<40 {
                let answer = try ask("/split/x", [])
                let name = String(answer.body.split(separator: " ").first?.dropFirst("backend=".count) ?? "none")
                counts[name, default: 0] += 1
            }
            #expect(counts["web"] == 30 && counts["api"] == 10, "\(counts)")
            // Header matches: the most headers first, then the rule without any.
            #expect(try ask("/hdr/a", ["X-Canary: yes"]).body.hasPrefix("backend=api "))
            #expect(try ask("/hdr/a", ["X-Canary: yes", "X-Region: eu"]).body.hasPrefix("backend=extra "))
            #expect(try ask("/hdr/a", ["X-Canary: no"]).body.hasPrefix("backend=web "))
            #expect(try ask("/hdr/a", []).body.hasPrefix("backend=web "))
            // Values match exactly, case included.
            #expect(try ask("/hdr/a", ["X-Canary: YES"]).body.hasPrefix("backend=web "))
            // A path with only a header rule: other requests get what its parent path gets.
            #expect(try ask("/only-header/x", ["X-Canary: yes"]).body.hasPrefix("backend=api "))
            #expect(try ask("/only-header/x", []).body.hasPrefix("backend=extra "))
            // URLRewrite: the matched prefix replaced, the Host header set; the query kept.
            #expect(try ask("/old/page?k=v", []).body == "backend=web host=rewritten.example.com path=/new/page?k=v\n")
            #expect(try ask("/old", []).body == "backend=web host=rewritten.example.com path=/new\n")
            #expect(try ask("/whole", []).body == "backend=api host=routes.example.com path=/replaced\n")
            // RequestRedirect to another host: its scheme's well-known port, left out.
            let moved = try ask("/moved", [])
            #expect(moved.status == 301)
            #expect(moved.location == "https://elsewhere.example.com/moved")
            // A redirect behind a header match, replacing the matched prefix.
            let away = try ask("/hdr/deep/page?z=1", ["X-Go: away"])
            #expect(away.status == 302)
            #expect(away.location == "http://routes.example.com:\(gateway.httpPort)/landed/deep/page?z=1")
            // Another host: the listener's hostname keeps the route off it.
            #expect(try Self.ask(gateway.httpPort, host: "other.example.com", path: "/split").status == 404)
        }
    }

    @Test func anIngressWinsOverAnHTTPRouteOnTheSameHostAndPathAndSaysSo() throws {
        var inventory = try Self.featureInventory()
        inventory.services = [BackendService(metadata: ObjectMeta(name: "web", namespace: "demo"), ports: [ServicePort(name: "http", port: 8080)])]
        inventory.endpoints = [
            BackendEndpoints(
                metadata: ObjectMeta(name: "web-1", namespace: "demo"), serviceName: "web", addresses: ["127.0.0.1"],
                ports: [EndpointPort(name: "http", port: 18080)])
        ]
        inventory.routes = [
            Route(
                metadata: ObjectMeta(name: "live", namespace: "demo"),
                rules: [RouteRule(host: "routes.example.com", paths: [RoutePath(path: "/split", pathType: .prefix, backend: RouteBackend(service: "web", port: 8080))])])
        ]
        let plan = try NginxPlan.make(projects: ["demo"], inventory: inventory)
        let server = try #require(plan.sites.first?.servers.first { $0.host == "routes.example.com" })
        let split = try #require(server.locations.first { $0.match == .prefix("/split/") })
        #expect(split.target == .upstream("demo.web.8080"))
        #expect(plan.notes.contains { $0.hasPrefix("HTTPRoute demo/features: location /split/ is already served by route demo/live") && $0.contains("Ingress wins") }, "\(plan.notes)")
        // The HTTPRoute's other paths are still served beside the Ingress.
        #expect(server.locations.contains { $0.match == .prefix("/old/") })
    }

    @Test func routesThatDoNotAttachAreNotServedAndSaySo() throws {
        var inventory = try Self.featureInventory()
        let stray = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: stray, namespace: demo}
            spec:
              parentRefs: [{name: missing}]
              rules: [{backendRefs: [{name: web, port: 8080}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: elsewhere, namespace: demo}
            spec:
              parentRefs: [{name: local}]
              hostnames: [other.example.com]
              rules: [{backendRefs: [{name: web, port: 8080}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: methods, namespace: demo}
            spec:
              parentRefs: [{name: local}]
              rules: [{matches: [{method: POST}], backendRefs: [{name: web, port: 8080}]}]
            """
        let parsed = ManifestParser.parse(stray, source: "stray.yaml")
        inventory.gatewayAPI += try Self.stored(parsed.objects.map(ManifestValue.init))
        let plan = try NginxPlan.make(projects: ["demo"], inventory: inventory)
        #expect(plan.notes.contains("HTTPRoute demo/stray is not served: Gateway demo/missing is not stored"), "\(plan.notes)")
        #expect(plan.notes.contains("HTTPRoute demo/elsewhere is not served: no hostname of the route matches listener http"), "\(plan.notes)")
        #expect(plan.notes.contains("HTTPRoute demo/methods: rule 0 is not served: method matches are not served locally"), "\(plan.notes)")
    }
}

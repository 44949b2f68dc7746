import GatewayKit
import Testing

/// Gateway API objects as kgate stores them: parsed whole, told apart from KubeSphere's
/// Gateway, rendered back as applied, and read for serving.
@Suite("Stored Gateway API objects")
struct StoredGatewayAPITests {
    static let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: web
          namespace: demo
          resourceVersion: "7"
          annotations: {note: kept}
        spec:
          parentRefs: [{name: local, sectionName: http}]
          hostnames: [web.example.com]
          rules:
          - matches:
            - path: {type: PathPrefix, value: /api}
              headers: [{name: X-Env, value: canary}, {name: x-env, value: ignored}]
            filters:
            - {type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}
            - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-A, value: b}]}}
            backendRefs: [{name: api, port: 8080, weight: 2}, {name: old, port: 8080, weight: 0}]
            timeouts: {request: 5s}
          - backendRefs: [{name: web, port: 80}]
        """

    func parsed(_ text: String) throws -> GatewayAPIObject {
        let result = ManifestParser.parse(text, source: "t.yaml")
        try #require(result.problems.isEmpty, "\(result.problems)")
        guard case .gatewayAPI(let object)? = result.objects.first else {
            Issue.record("not a Gateway API object: \(result.objects)")
            throw CancellationError()
        }
        return object
    }

    @Test func parsesAnHTTPRouteWholeAndRendersItBackAsApplied() throws {
        let object = try parsed(Self.route)
        #expect(object.kind == .httpRoute)
        #expect(object.metadata.name == "web" && object.metadata.namespace == "demo" && object.metadata.resourceVersion == "7")
        #expect(KubeObject.gatewayAPI(object).reference == "HTTPRoute demo/web")
        #expect(Validate.object(.gatewayAPI(object), settings: WorkspaceSettings()).isEmpty)
        // The manifest comes back as it was, with the store's resourceVersion.
        var stored = object
        stored.metadata.resourceVersion = "12"
        let text = ManifestRenderer.yaml([.gatewayAPI(stored)])
        #expect(text.contains("resourceVersion: \"12\"") || text.contains("resourceVersion: '12'"), "\(text)")
        #expect(!text.contains("\"7\""))
        for kept in ["timeouts:", "ResponseHeaderModifier", "note: kept", "weight: 2"] { #expect(text.contains(kept), "\(kept)") }
        let again = try parsed(text)
        #expect(again.manifest == object.manifest)
    }

    @Test func tellsAGatewayAPIGatewayFromKubeSpheresGateway() throws {
        let apiGateway = try parsed("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: kubesphere-router-demo, namespace: kubesphere-controls-system}
            spec: {gatewayClassName: nginx, listeners: [{name: http, port: 80, protocol: HTTP}]}
            """)
        #expect(apiGateway.kind == .gateway)
        #expect(KubeObject.gatewayAPI(apiGateway).storageKind == "GatewayAPIGateway")
        #expect(KubeObject.gatewayAPI(apiGateway).reference == "Gateway.gateway.networking.k8s.io kubesphere-controls-system/kubesphere-router-demo")
        let kubesphere = ManifestParser.parse("""
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata: {name: kubesphere-router-demo, namespace: kubesphere-controls-system}
            spec: {service: {type: NodePort}}
            """, source: "ks.yaml")
        if case .gateway? = kubesphere.objects.first {} else { Issue.record("KubeSphere's Gateway: \(kubesphere)") }
        let inventory = Inventory(objects: [.gatewayAPI(apiGateway)] + kubesphere.objects)
        #expect(inventory.gatewayAPI.count == 1)
        #expect(inventory.apiGateway(namespace: "kubesphere-controls-system", name: "kubesphere-router-demo")?.listeners.first?.port == 80)
    }

    @Test func refusesAnUnknownVersionAndNamesTheField() {
        let result = ManifestParser.parse("""
            apiVersion: gateway.networking.k8s.io/v2
            kind: ReferenceGrant
            metadata: {name: g, namespace: demo}
            spec: {}
            """, source: "g.yaml")
        #expect(result.objects.isEmpty)
        let text = result.problems.map(\.description).joined()
        #expect(text.contains("apiVersion: Unsupported value: \"gateway.networking.k8s.io/v2\""), "\(text)")
        #expect(text.contains("gateway.networking.k8s.io/v1beta1"))
    }

    @Test func invalidObjectsAreRefusedByTheAPIsRules() throws {
        let object = try parsed("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: demo}
            spec:
              hostnames: ["Bad_Host"]
              rules: [{matches: [{path: {type: Exact, value: "relative"}}], backendRefs: [{name: web}]}]
              unknownField: 1
            """)
        let fields = Validate.object(.gatewayAPI(object), settings: WorkspaceSettings()).map(\.field.description)
        #expect(fields.contains("spec.hostnames[0]"), "\(fields)")
        #expect(fields.contains("spec.rules[0].matches[0].path.value"), "\(fields)")
        #expect(fields.contains("spec.rules[0].backendRefs[0]"), "\(fields)")
        #expect(fields.contains("spec.unknownField"), "\(fields)")
    }

    @Test func readsWhatServingNeeds() throws {
        let route = StoredHTTPRoute(try parsed(Self.route))
        let parent = try #require(route.parentRefs.first)
        #expect(route.parentRefs.count == 1)
        #expect(parent.name == "local" && parent.namespace == "demo" && parent.sectionName == "http" && parent.port == nil && parent.isGateway)
        #expect(route.hostnames == ["web.example.com"])
        let first = try #require(route.rules.first)
        #expect(first.refusal == nil)
        // Header names are case-insensitive: the first of a name counts.
        #expect(first.matches == [StoredHTTPRoute.Match(pathType: "PathPrefix", path: "/api", headers: [.init(name: "X-Env", value: "canary")])])
        #expect(first.filters == [.urlRewrite(hostname: nil, path: .replacePrefixMatch("/v2"))])
        #expect(first.notes == ["filter ResponseHeaderModifier is not applied locally"])
        #expect(first.backendRefs.map(\.weight) == [2, 0])
        // A rule without matches matches every path.
        #expect(route.rules.last?.matches == [StoredHTTPRoute.Match(pathType: "PathPrefix", path: "/", headers: [])])
    }

    @Test func attachesToListenersThatAllowTheRouteForTheHostsTheyShare() throws {
        let gateway = try parsed("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: local, namespace: demo}
            spec:
              gatewayClassName: nginx
              listeners:
              - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
              - {name: other, port: 80, protocol: HTTP, hostname: other.org}
              - name: elsewhere
                port: 8080
                protocol: HTTP
                allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: x}}}}
            """)
        let route = try parsed(Self.route)
        let inventory = Inventory(objects: [.project(Project(name: "demo")), .gatewayAPI(gateway), .gatewayAPI(route)])
        let stored = try #require(inventory.httpRoutes(project: "demo").first)
        let found = GatewayAPIAttachment.attachments(stored, inventory: inventory)
        #expect(found.reason == nil)
        #expect(found.attachments.map(\.listener.name) == ["http"])
        #expect(found.attachments.first?.hosts == ["web.example.com"])

        var unnamed = stored
        unnamed.parentRefs[0].sectionName = nil
        unnamed.hostnames = []
        let all = GatewayAPIAttachment.attachments(unnamed, inventory: inventory)
        // `elsewhere` selects namespaces labelled team=x, which demo is not.
        #expect(all.attachments.map(\.listener.name) == ["http", "other"])
        #expect(all.attachments.map(\.hosts) == [["*.example.com"], ["other.org"]])

        unnamed.hostnames = ["web.other.net"]
        #expect(GatewayAPIAttachment.attachments(unnamed, inventory: inventory).reason?.contains("no hostname of the route matches") == true)
    }
}

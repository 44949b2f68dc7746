import GatewayKit
import Testing
import TestSupport

/// A save keeps what kgate does not model (issue 7 item 12): render(parse(x)) with the
/// typed fields changed still holds every unknown field of x.
@Suite("Unmodelled fields survive a save")
struct StoredManifestTests {
    static let ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: demo
          finalizers:
          - example.com/keep
          ownerReferences:
          - apiVersion: apps/v1
            kind: Deployment
            name: owner
            uid: 1234
          generation: 7
          labels:
            team: blue
          annotations:
            example.com/other: kept
            kubesphere.io/alias-name: Old
        spec:
          futureField: value
          rules:
          - host: web.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
                    port:
                      number: 80
        status:
          loadBalancer: {}

        """

    func parseOne(_ text: String) throws -> KubeObject {
        let (objects, problems) = ManifestParser.parse(text, source: "test.yaml")
        #expect(problems.isEmpty, "\(problems)")
        return try #require(objects.first)
    }

    @Test("a route edited in its typed fields keeps finalizers, ownerReferences, unknown fields, other annotations and labels")
    func routeKeepsUnknownFields() throws {
        guard case .route(var route) = try parseOne(Self.ingress) else {
            Issue.record("not a route")
            return
        }
        route.alias = "New"
        route.metadata.annotations["example.com/other"] = nil
        route.rules[0].host = "new.example.com"
        let saved = ManifestRenderer.yaml([.route(route)])
        for kept in ["example.com/keep", "kind: Deployment", "uid: 1234", "generation: 7", "team: blue", "futureField: value", "status:"] {
            #expect(saved.contains(kept), "lost \(kept):\n\(saved)")
        }
        #expect(saved.contains("kubesphere.io/alias-name: New"))
        #expect(!saved.contains("Old"), "\(saved)")
        #expect(!saved.contains("example.com/other"), "a removed annotation came back:\n\(saved)")
        #expect(saved.contains("host: new.example.com") && !saved.contains("web.example.com"))
        guard case .route(let reparsed) = try parseOne(saved) else {
            Issue.record("not a route")
            return
        }
        #expect(reparsed == route)
        #expect(ManifestRenderer.yaml([.route(reparsed)]) == saved)
    }

    @Test("a Gateway CR keeps its labels and unknown spec fields; only the governance annotation of the deployment is kgate's")
    func gatewayKeepsUnknownFields() throws {
        let text = UnmodeledManifests.gateway
        guard case .gateway(var gateway) = try parseOne(text) else {
            Issue.record("not a gateway")
            return
        }
        gateway.governance = true
        gateway.type = .loadBalancer
        let saved = ManifestRenderer.yaml([.gateway(gateway)])
        for kept in ["owner: ops", "tag: v1.1.0", "example.com/extra: kept", "servicemesh.kubesphere.io/enabled: 'true'", "type: LoadBalancer"] {
            #expect(saved.contains(kept) || saved.contains(kept.replacingOccurrences(of: "'", with: "\"")), "lost \(kept):\n\(saved)")
        }
        #expect(!saved.contains("type: NodePort"))
    }

    @Test("a file kgate wrote loses nothing; comments and flow style are named")
    func rewriteLosses() throws {
        let object = try parseOne(Self.ingress)
        #expect(RewriteCheck.losses(in: ManifestRenderer.yaml([object]), objects: [object]).isEmpty)
        let commented = Self.ingress.replacingOccurrences(of: "  generation: 7", with: "  generation: 7  # bumped by hand")
        #expect(RewriteCheck.losses(in: commented, objects: [object]) == ["it has comments"])
        let flow = Self.ingress.replacingOccurrences(of: "    team: blue", with: "    team: blue\n  extra: {a: b}")
        #expect(RewriteCheck.losses(in: flow, objects: [object]) == ["it uses flow style ({…} or […])"])
        let quoted = Self.ingress.replacingOccurrences(of: "kept", with: "\"kept #1 {x: y}\"")
        #expect(RewriteCheck.losses(in: quoted, objects: [object]).isEmpty)
    }
}

import Foundation
import Testing
import TestSupport

/// `kgate render P --format gateway-api` on the demo workspace: objects on stdout, the
/// notes of what does not carry over on stderr.
@Suite("kgate render --format gateway-api")
struct GatewayAPICommandTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("gatewayapi") }

    func kgate(_ arguments: String..., input: String? = nil) throws -> KGateProcess.Result {
        try KGateProcess.run(arguments + ["--workspace", workspace], input: input)
    }

    static let governed = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: governed
          namespace: demo
          annotations:
            nginx.ingress.kubernetes.io/service-upstream: "true"
        spec:
          rules:
          - host: api.demo.example.com
            http:
              paths:
              - path: /v1
                pathType: Exact
                backend:
                  service:
                    name: nginx
                    port:
                      number: 80

        """

    @Test("objects on stdout, the same bytes twice; each note on stderr naming the Ingress and the field")
    func yaml() throws {
        let applied = try kgate("apply", "-f", "-", input: Self.governed)
        #expect(applied.status == 0, "\(applied)")
        let first = try kgate("render", "demo", "--format", "gateway-api")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.hasPrefix("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"))
        #expect(first.stdout.contains("kind: HTTPRoute\nmetadata:\n  name: governed\n"))
        #expect(first.stdout.contains("type: Exact\n        value: /v1\n"))
        #expect(first.stderr.contains(
            "kgate render: Ingress governed: metadata.annotations[nginx.ingress.kubernetes.io/service-upstream]: "))
        #expect(!first.stdout.contains("service-upstream"))
        let second = try kgate("render", "demo", "--format", "gateway-api")
        #expect(second.stdout == first.stdout)
    }

    @Test("-o json is a v1 List of the Gateway, the HTTPRoutes and the ReferenceGrants")
    func json() throws {
        let result = try kgate("render", "demo", "--format", "gateway-api", "-o", "json")
        #expect(result.status == 0, "\(result)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(list["kind"] as? String == "List")
        let kinds = (list["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(kinds.first == "Gateway")
        #expect(kinds.contains("HTTPRoute"))
    }

    @Test("an unknown project is refused with exit status 1")
    func unknownProject() throws {
        let result = try kgate("render", "nowhere", "--format", "gateway-api")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Namespace nowhere not found"))
        #expect(result.stdout.isEmpty)
    }
}

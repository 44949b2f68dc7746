import Foundation
import Testing
import TestSupport

/// `kgate apply -f` of Gateway API objects with the built binary (issue 14): the set the
/// Migration view saves applies, is served beside the Ingresses (which win where both
/// claim a path, said on stderr), and a bad object is refused with its field.
@Suite("kgate apply of Gateway API objects")
struct GatewayAPIApplyCommandTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("cli-gwapi") }

    func kgate(_ arguments: String..., input: String? = nil) throws -> KGateProcess.Result {
        try KGateProcess.run(arguments + ["--workspace", workspace], input: input)
    }

    @Test("the rendered set applies from a file, then applies unchanged; render nginx says the Ingresses win")
    func appliesTheRenderedSet() throws {
        let rendered = try kgate("render", "shop", "--format", "gateway-api")
        try #require(rendered.status == 0, "\(rendered)")
        try folder.write("shop-gateway-api.yaml", rendered.stdout)
        let applied = try kgate("apply", "-f", folder.file("shop-gateway-api.yaml"))
        #expect(applied.status == 0, "\(applied)")
        #expect(applied.stdout.contains("Gateway.gateway.networking.k8s.io kubesphere-controls-system/kubesphere-router-shop created"), "\(applied)")
        #expect(applied.stdout.contains("HTTPRoute shop/"), "\(applied)")
        #expect(applied.stdout.contains("ReferenceGrant shop/"), "\(applied)")
        let again = try kgate("apply", "-f", folder.file("shop-gateway-api.yaml"))
        #expect(again.status == 0 && !again.stdout.contains("created") && again.stdout.contains("unchanged"), "\(again)")
        // KubeSphere's gateway is still the project's, and the conversion is unaffected.
        #expect(try kgate("gateway", "show", "shop").stdout.contains("NodePort"))
        #expect(try kgate("render", "shop", "--format", "gateway-api").stdout == rendered.stdout)
        let nginx = try kgate("render", "shop", "--format", "nginx")
        #expect(nginx.status == 0, "\(nginx)")
        #expect(nginx.stderr.contains("an Ingress wins over an HTTPRoute"), "\(nginx.stderr)")
    }

    @Test("a bad HTTPRoute is refused with its field and reason, and nothing is written")
    func refusesABadRoute() throws {
        let before = try KGateProcess.run(["render", "shop", "-o", "yaml", "--workspace", workspace]).stdout
        let bad = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              rules: [{matches: [{path: {type: PathPrefix, value: "/a//b"}}], backendRefs: [{name: web, port: 80}]}]
            """
        let result = try kgate("apply", "-f", "-", input: bad)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTPRoute shop/web"), "\(result)")
        #expect(result.stderr.contains("spec.rules[0].matches[0].path.value"), "\(result)")
        #expect(try KGateProcess.run(["render", "shop", "-o", "yaml", "--workspace", workspace]).stdout == before)
        #expect(!FileManager.default.fileExists(atPath: folder.file("ws/shop/httproute-web.yaml")))
    }
}

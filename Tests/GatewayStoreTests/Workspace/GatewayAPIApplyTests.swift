import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// `kgate apply` of Gateway API objects into a workspace (issue 14 item 4): stored whole,
/// checked by GatewayKit's Gateway API validator, all or nothing, beside the Ingresses
/// they were converted from.
@Suite("Gateway API objects in a workspace")
struct GatewayAPIApplyTests {
    let folder: TemporaryFolder
    let store: WorkspaceStore

    init() throws {
        folder = try TemporaryFolder("ws")
        store = WorkspaceStore(root: folder.path + "/ws")
        try store.initialize(demo: true)
    }

    /// What the Migration view's `w` saves for project shop.
    func savedMigration() async throws -> String {
        let inventory = try await store.load()
        return GatewayAPIRenderer.yaml(GatewayAPIConversion.convert(inventory, project: "shop"))
    }

    @Test("the Migration view's saved file applies: every object created, then unchanged, beside the Ingresses")
    func appliesTheMigrationFile() async throws {
        let text = try await savedMigration()
        let parsed = ManifestParser.parse(text, source: "shop-gateway-api.yaml")
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        let outcomes = try await store.apply(parsed.objects)
        #expect(!outcomes.isEmpty)
        #expect(outcomes.allSatisfy { $0.action == .created }, "\(outcomes)")
        #expect(outcomes.contains { $0.reference == "Gateway.gateway.networking.k8s.io kubesphere-controls-system/kubesphere-router-shop" })
        // KubeSphere's gateway of the same name is untouched, in a file of its own.
        #expect(folder.read("ws/kubesphere-controls-system/gatewayapigateway-kubesphere-router-shop.yaml")?.contains("gateway.networking.k8s.io/v1") == true)
        #expect(folder.read("ws/kubesphere-controls-system/gateway-kubesphere-router-shop.yaml")?.contains("gateway.kubesphere.io") == true)

        let inventory = try await store.load()
        #expect(inventory.problems.isEmpty, "\(inventory.problems)")
        #expect(inventory.gateway(project: "shop") != nil)
        #expect(inventory.routes(project: "shop").count == 3)
        let routes = inventory.httpRoutes(project: "shop")
        #expect(routes.count == GatewayAPIConversion.convert(inventory, project: "shop").routes.count)
        #expect(inventory.gatewayAPI.contains { $0.kind == .gateway && $0.metadata.resourceVersion != nil })
        // The same file again changes nothing.
        let again = try await store.apply(ManifestParser.parse(text, source: "again").objects)
        #expect(again.allSatisfy { $0.action == .unchanged }, "\(again)")
        // The rendered set is the same with the objects stored: the conversion reads Ingresses only.
        #expect(GatewayAPIRenderer.yaml(GatewayAPIConversion.convert(inventory, project: "shop")) == text)
    }

    @Test("fields kgate does not model survive the round trip through the workspace")
    func keepsUnmodelledFields() async throws {
        let route = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: kept
              namespace: shop
              labels: {team: payments}
              finalizers: [example.com/keep]
            spec:
              parentRefs: [{name: kubesphere-router-shop, namespace: kubesphere-controls-system}]
              rules:
              - matches: [{path: {type: PathPrefix, value: /pay}, queryParams: [{name: v, value: "2"}]}]
                timeouts: {request: 10s}
                backendRefs: [{name: shop-web, port: 8080, weight: 5}]
            """
        _ = try await store.apply(ManifestParser.parse(route, source: "kept.yaml").objects)
        let stored = try #require(folder.read("ws/shop/httproute-kept.yaml"))
        for kept in ["finalizers:", "example.com/keep", "queryParams:", "timeouts:", "10s", "weight: 5", "team: payments"] {
            #expect(stored.contains(kept), "\(kept) lost:\n\(stored)")
        }
        #expect(stored.contains("resourceVersion:"))
        let inventory = try await store.load()
        let object = try #require(inventory.gatewayAPI.first { $0.metadata.name == "kept" })
        #expect(object.manifest["spec"] == ManifestParser.parse(route, source: "kept.yaml").objects.first.map(ManifestValue.init)?["spec"])
    }

    @Test("an invalid object is refused naming the field and the reason, and nothing of the apply is written")
    func refusesInvalidObjectsWholly() async throws {
        let text = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: good, namespace: shop}
            spec:
              parentRefs: [{name: kubesphere-router-shop, namespace: kubesphere-controls-system}]
              rules: [{backendRefs: [{name: shop-web, port: 8080}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: bad, namespace: shop}
            spec:
              parentRefs: [{name: kubesphere-router-shop}]
              rules:
              - matches: [{path: {type: PathPrefix, value: "no-slash"}}]
                backendRefs: [{name: shop-web}]
            """
        let before = WorkspaceImage(of: folder.path + "/ws")
        await #expect {
            try await store.apply(ManifestParser.parse(text, source: "routes.yaml").objects)
        } throws: { error in
            guard case StoreError.invalid(let object, let errors) = error else { return false }
            let fields = errors.map(\.field.description)
            return object == "HTTPRoute shop/bad" && fields.contains("spec.rules[0].matches[0].path.value")
                && fields.contains("spec.rules[0].backendRefs[0]")
        }
        #expect(WorkspaceImage(of: folder.path + "/ws") == before)
        #expect(folder.read("ws/shop/httproute-good.yaml") == nil)
    }

    @Test("a Gateway API object needs its namespace, and the kind's apiVersion")
    func refusesMissingNamespaceAndWrongVersion() async throws {
        let noNamespace = ManifestParser.parse("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: loose}
            spec: {rules: [{backendRefs: [{name: web, port: 80}]}]}
            """, source: "loose.yaml")
        await #expect {
            try await store.apply(noNamespace.objects)
        } throws: { error in
            guard case StoreError.invalid(_, let errors) = error else { return false }
            return errors.contains { $0.field.description == "metadata.namespace" }
        }
        let wrongVersion = ManifestParser.parse("""
            apiVersion: gateway.networking.k8s.io/v9
            kind: HTTPRoute
            metadata: {name: future, namespace: shop}
            spec: {}
            """, source: "future.yaml")
        #expect(wrongVersion.objects.isEmpty)
        #expect(wrongVersion.problems.first?.description.contains("apiVersion: Unsupported value: \"gateway.networking.k8s.io/v9\"") == true,
            "\(wrongVersion.problems)")
    }
}

import ChildProcess
import Foundation
import GatewayKit
import Testing
import TestSupport

/// The real kubectl against what this branch added to the test API server: 422 causes,
/// the PATCH flavours, the status subresource and paged lists. kubectl reads each answer
/// as it reads a real API server's, so a format this server got wrong fails here.
@Suite("kubectl against the test API server's validation, patches, status subresource and pages")
struct KubectlPatchCrossCheckTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("kubectl-patch-cross-check") }

    @Test("kubectl shows the server's 422 with its field, and reads strategic, JSON and status patches")
    func patchesAndRefusals() async throws {
        let server = try await KubectlCrossCheckTests.start()
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        try folder.write("bad.yaml", Self.service(name: "Web_"))
        let refused = try kubectl(kubeconfig, ["create", "--validate=false", "-f", folder.file("bad.yaml")])
        #expect(!refused.succeeded && refused.errorText.contains(#"The Service "Web_" is invalid: metadata.name: Invalid value: "Web_""#), "\(refused)")

        try folder.write("web.yaml", Self.service(name: "checked"))
        #expect(try kubectl(kubeconfig, ["create", "--validate=false", "-f", folder.file("web.yaml")]).succeeded)
        // A node port no Service holds (the seed's LoadBalancer got random ones).
        let held = Set(server.cluster.list(TestResource.services, namespace: "", fieldSelector: [:]).items.flatMap(TestCluster.nodePorts))
        let free = try #require((30000...32767).first { !held.contains($0) })
        let strategic = try kubectl(kubeconfig, [
            "patch", "service", "checked", "-n", "demo", "--type=strategic", "-p", #"{"spec":{"ports":[{"port":443,"nodePort":\#(free)}]}}"#,
        ])
        #expect(strategic.succeeded && strategic.outputText.contains("patched"), "\(strategic)")
        let stored = try #require(server.cluster.object(TestResource.services, namespace: "demo", name: "checked"))
        #expect(TestCluster.nodePortsByName(stored)["https"] == free && TestCluster.nodePortsByName(stored)["http"] != nil)
        let json = try kubectl(kubeconfig, [
            "patch", "service", "checked", "-n", "demo", "--type=json", "-p", #"[{"op":"add","path":"/metadata/labels","value":{"tier":"edge"}}]"#,
        ])
        #expect(json.succeeded, "\(json)")
        #expect(server.cluster.object(TestResource.services, namespace: "demo", name: "checked")?["metadata"]?["labels"]?["tier"] == .string("edge"))

        let gateway = try #require(server.cluster.list(TestResource.gateways, namespace: "", fieldSelector: [:]).items.first)
        let name = gateway["metadata"]?["name"]?.text ?? ""
        let namespace = gateway["metadata"]?["namespace"]?.text ?? ""
        let status = try kubectl(kubeconfig, [
            "patch", "gateways.gateway.kubesphere.io", name, "-n", namespace, "--subresource=status", "--type=merge",
            "-p", #"{"status":{"phase":"CrossChecked"}}"#,
        ])
        #expect(status.succeeded, "\(status)")
        let ignored = try kubectl(kubeconfig, [
            "patch", "gateways.gateway.kubesphere.io", name, "-n", namespace, "--type=merge", "-p", #"{"status":{"phase":"Ignored"}}"#,
        ])
        #expect(ignored.succeeded && ignored.outputText.contains("no change"), "\(ignored)")
        #expect(server.cluster.object(TestResource.gateways, namespace: namespace, name: name)?["status"]?["phase"] == .string("CrossChecked"))
    }

    @Test("kubectl pages a list with limit and continue")
    func pagedList() async throws {
        let server = try await KubectlCrossCheckTests.start()
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: server.authority)
        let whole = try kubectl(kubeconfig, ["get", "namespaces", "-o", "name"])
        let paged = try kubectl(kubeconfig, ["get", "namespaces", "-o", "name", "--chunk-size=1"])
        #expect(paged.succeeded && paged.outputText == whole.outputText && !paged.outputText.isEmpty, "\(paged)")
        #expect(server.cluster.requests.contains { $0.query["continue"] != nil && $0.query["limit"] == "1" })
    }

    func kubectl(_ kubeconfig: String, _ arguments: [String]) throws -> ChildProcess.Outcome {
        try Kubectl.run(kubeconfig: kubeconfig, arguments, home: folder)
    }

    static func service(name: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: demo
        spec:
          type: NodePort
          selector:
            app: web
          ports:
          - name: http
            port: 80
          - name: https
            port: 443

        """
    }
}

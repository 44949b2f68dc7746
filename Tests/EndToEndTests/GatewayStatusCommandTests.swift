import Foundation
import Testing
import TestSupport

/// `kgate gateway show` reports what KubeSphere's controllers wrote into a Gateway CR's
/// `status.conditions` (issue 10): a failed Helm release is `status: Failed` with its
/// message as `reason`. The same Gateway CR reads the same from a workspace file and from
/// a cluster; a workspace is what the binary can be run on here.
@Suite("kgate gateway show: KubeSphere's release conditions")
struct GatewayStatusCommandTests {
    @Test("a ReleaseFailed condition is status Failed with the message as reason, in JSON and in the table")
    func failedRelease() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("cli-status")
        let file = "ws/kubesphere-controls-system/gateway-kubesphere-router-shop.yaml"
        let text = try #require(folder.read(file))
        try folder.write(file, text + """
              conditions:
              - type: ReleaseFailed
                status: "True"
                reason: UpgradeError
                message: invalid ownership metadata

            """)
        let json = try KGateProcess.run(["gateway", "show", "shop", "-o", "json", "--workspace", folder.workspace])
        #expect(json.status == 0, "\(json)")
        let show = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(show["status"] as? String == "Failed")
        #expect(show["reason"] as? String == "UpgradeError: invalid ownership metadata")
        let table = try KGateProcess.run(["gateway", "show", "shop", "--workspace", folder.workspace])
        #expect(table.stdout.contains("Status:                 Failed (UpgradeError: invalid ownership metadata)"), "\(table)")
    }

    @Test("gateway upgrade on a workspace is refused with the reason: only a cluster has legacy routers to upgrade")
    func upgradeNeedsACluster() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("cli-upgrade")
        let upgrade = try KGateProcess.run(["gateway", "upgrade", "shop", "--workspace", folder.workspace])
        #expect(upgrade.status == 1, "\(upgrade)")
        #expect(upgrade.stderr.contains("project: only a gateway on a KubeSphere 3.2+ cluster that is still a legacy router can be upgraded"))
    }

    @Test("the cluster gateway is shown as what serves a project without a gateway, in show and in projects")
    func clusterGatewayServesProjects() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("cli-cluster-gateway")
        try folder.write("ws/kubesphere-controls-system/gateway-kubesphere-router-kubesphere-system.yaml", """
            apiVersion: gateway.kubesphere.io/v1alpha1
            kind: Gateway
            metadata:
              name: kubesphere-router-kubesphere-system
              namespace: kubesphere-controls-system
            spec:
              controller:
                replicas: 1
                scope:
                  enabled: false
                  namespace: ""
              service:
                type: NodePort
              deployment:
                replicas: 1
            status:
              service:
              - name: http
                port: 80
                nodePort: 31081
              - name: https
                port: 443
                nodePort: 31444

            """)
        let show = try KGateProcess.run(["gateway", "show", "demo", "--workspace", folder.workspace])
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.hasPrefix("Served By:  cluster gateway kubesphere-controls-system/kubesphere-router-kubesphere-system"))
        #expect(show.stdout.contains("http://demo.kubesphere.io:31081/"))
        let projects = try KGateProcess.run(["projects", "--workspace", folder.workspace])
        let demo = projects.stdout.split(separator: "\n").first { $0.hasPrefix("demo ") }.map(String.init) ?? ""
        #expect(demo.contains("NodePort") && demo.contains("Cluster Gateway"), "\(projects)")
    }
}

import Foundation
import GatewayKit
import GatewayStore

/// A test API server seeded with the demo workspace's objects (as a cluster holds them:
/// each gateway as its Gateway CR and Service), and a `KubernetesStore` pointed at it
/// through a kubeconfig file, as the command line would open it.
struct KubeFixture {
    static let token = "test-token-not-a-secret"

    let server: TestAPIServer
    let store: KubernetesStore
    var cluster: TestCluster { server.cluster }

    static func start(
        seed: Bool = true, readOnly: Bool = false, watches: WatchPolicy = WatchPolicy(),
        configure: (TestCluster) -> Void = { _ in }
    ) async throws -> KubeFixture {
        let cluster = TestCluster()
        cluster.expectedToken = token
        configure(cluster)
        if seed { try seedDemo(into: cluster) }
        let server = try await TestAPIServer.start(cluster, tls: try sharedTLS())
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(token: token, cluster: server.authority), context: nil, readOnly: readOnly,
            environment: [:], watches: watches)
        return KubeFixture(server: server, store: store)
    }

    func stop() async { await server.stop() }

    /// A test API server seeded with the demo that takes only `token`: for tests that
    /// reach it through a kubeconfig of their own.
    static func server(expectingToken token: String) async throws -> TestAPIServer {
        let cluster = TestCluster()
        cluster.expectedToken = token
        try seedDemo(into: cluster)
        return try await TestAPIServer.start(cluster, tls: try sharedTLS())
    }

    /// HTTPS with the run's shared PKI: kgate, as kubectl, sends no token over plain HTTP.
    static func sharedTLS() throws -> TestAPIServer.TLS {
        TestAPIServer.TLS(certificates: try TestCertificates.shared.get())
    }

    /// The demo's objects, namespaces first, gateways as the flavour the cluster serves.
    static func seedDemo(into cluster: TestCluster) throws {
        let flavor: GatewayFlavor = cluster.servesGateways ? .gatewayCRD : .legacyRouter
        var objects: [KubeObject] = [.project(Project(name: Gateway.defaultNamespace))]
        for object in DemoWorkspace.objects() {
            switch object {
            case .gateway(let gateway): objects += ManifestRenderer.gatewayObjects(gateway, flavor: flavor)
            case .addressPool where !cluster.servesEips: continue
            default: objects.append(object)
            }
        }
        let rank: (KubeObject) -> Int = { object in
            if case .project = object { return 0 }
            return 1
        }
        for object in objects.enumerated().sorted(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }) {
            try cluster.seed(object.element)
        }
    }
}

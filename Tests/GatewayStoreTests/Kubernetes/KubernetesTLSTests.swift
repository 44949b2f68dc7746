import Foundation
import GatewayKit
import GatewayStore
import Testing

/// The kubeconfig's TLS settings on the wire: the test API server speaks HTTPS with a
/// certificate from a throwaway CA (made by openssl for each test), and kgate must trust
/// it through `certificate-authority(-data)`, refuse it without, skip the check only when
/// told to, and present a client certificate when the server demands one.
@Suite("Kubernetes store over TLS")
struct KubernetesTLSTests {
    @Test("certificate-authority-data and a bearer token: the load works and the seed gateway can be set")
    func caData() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki)
        defer { Task { await server.stop() } }
        #expect(server.url.hasPrefix("https://127.0.0.1:"))
        let ca = try pki.contents(pki.caPath).base64EncodedString()
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(token: KubeFixture.token, cluster: ["certificate-authority-data: \(ca)"]),
            context: nil, environment: [:])
        try await Self.expectWorks(store, server: server)
    }

    @Test("certificate-authority as a file path relative to the kubeconfig")
    func caFile() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki)
        defer { Task { await server.stop() } }
        let kubeconfig = try server.kubeconfig(token: KubeFixture.token, cluster: ["certificate-authority: pki/ca.crt"])
        let folder = URL(fileURLWithPath: kubeconfig).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("pki"), withIntermediateDirectories: true)
        try pki.contents(pki.caPath).write(to: folder.appendingPathComponent("pki/ca.crt"))
        let store = try KubernetesStore.open(kubeconfig: kubeconfig, context: nil, environment: [:])
        let inventory = try await bounded { try await store.load() }
        #expect(inventory.problems.isEmpty && inventory.gateway(project: "shop") != nil)
    }

    @Test("without the CA the server's certificate is not trusted: unavailable, naming the verification")
    func untrusted() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki)
        defer { Task { await server.stop() } }
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(token: KubeFixture.token), context: nil, environment: [:])
        await expectStoreError({ try await bounded { try await store.load() } }) {
            guard case .unavailable(let reason) = $0 else { return false }
            return reason.contains("certificate") && reason.contains("certificate-authority")
        }
    }

    @Test("insecure-skip-tls-verify without the CA: the load works")
    func insecureSkip() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki)
        defer { Task { await server.stop() } }
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(token: KubeFixture.token, cluster: ["insecure-skip-tls-verify: true"]),
            context: nil, environment: [:])
        let inventory = try await bounded { try await store.load() }
        #expect(inventory.problems.isEmpty && inventory.gateway(project: "shop") != nil)
    }

    @Test("a client certificate and key, no token, where the server demands one: it stands for the user")
    func clientCertificate() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki, requireClientCertificate: true)
        defer { Task { await server.stop() } }
        let ca = try pki.contents(pki.caPath).base64EncodedString()
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(
                cluster: ["certificate-authority-data: \(ca)"],
                user: [
                    "client-certificate-data: \(try pki.contents(pki.clientCertificatePath).base64EncodedString())",
                    "client-key-data: \(try pki.contents(pki.clientKeyPath).base64EncodedString())",
                ]),
            context: nil, environment: [:])
        try await Self.expectWorks(store, server: server)
    }

    @Test("no client certificate where the server demands one: refused, with a reason, even with a valid token")
    func clientCertificateMissing() async throws {
        let pki = try TestCertificates.make()
        let server = try await Self.start(pki, requireClientCertificate: true)
        defer { Task { await server.stop() } }
        let ca = try pki.contents(pki.caPath).base64EncodedString()
        let store = try KubernetesStore.open(
            kubeconfig: try server.kubeconfig(token: KubeFixture.token, cluster: ["certificate-authority-data: \(ca)"]),
            context: nil, environment: [:])
        await expectStoreError({ try await bounded { try await store.load() } }) {
            switch $0 {
            case .unavailable(let reason), .forbidden(let reason): reason.contains("client certificate")
            default: false
            }
        }
    }

    // MARK: Helpers

    /// A seeded HTTPS server whose cluster wants the fixture's token (or a client certificate).
    private static func start(_ pki: TestCertificates, requireClientCertificate: Bool = false) async throws -> TestAPIServer {
        let cluster = TestCluster()
        cluster.expectedToken = KubeFixture.token
        try KubeFixture.seedDemo(into: cluster)
        return try await TestAPIServer.start(
            cluster, tls: TestAPIServer.TLS(certificates: pki, requireClientCertificate: requireClientCertificate))
    }

    /// The load succeeds and the seed's gateway can be set, as over plain HTTP.
    private static func expectWorks(_ store: KubernetesStore, server: TestAPIServer) async throws {
        let inventory = try await bounded { try await store.load() }
        #expect(inventory.problems.isEmpty && inventory.gateway(project: "shop") != nil)
        let change = try await bounded { try await store.setGateway(GatewayRequest(project: "demo", type: .nodePort)) }
        #expect(change.gateway.resourceVersion != nil && change.gateway.controllerState == .waitingForService)
        #expect(server.cluster.object(resource("Gateway"), namespace: Gateway.defaultNamespace, name: "kubesphere-router-demo") != nil)
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var seconds: Int
    var description: String { "no answer within \(seconds) s" }
}

/// `body`, or `TimedOut` after `seconds`: a refused handshake must end, not hang.
func bounded<T: Sendable>(_ seconds: Int = 30, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(seconds: seconds) }
        return value
    }
}

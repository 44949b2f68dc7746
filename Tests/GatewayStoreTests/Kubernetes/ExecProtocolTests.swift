import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The client.authentication.k8s.io exec protocol, each case run by kubectl too: the
/// interactive mode, the answer's apiVersion, expiration stamps with fractions of a
/// second, and the cluster given to the plugin with `provideClusterInfo`.
@Suite("Exec credential plugins as the protocol says, kubectl's answer as the expected one")
struct ExecProtocolTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("exec-protocol") }

    /// A plugin that records each run and `KUBERNETES_EXEC_INFO`, then prints `answer`.
    func kubeconfig(server: TestAPIServer, exec: [String], answer: String) throws -> String {
        try folder.write("plugin.sh", """
            #!/bin/sh
            echo run >> '\(folder.file("runs"))'
            printf '%s' "$KUBERNETES_EXEC_INFO" > '\(folder.file("info.json"))'
            printf '%s' '\(answer)'

            """)
        chmod(folder.file("plugin.sh"), 0o755)
        return try server.kubeconfig(
            cluster: server.authority, user: ["exec: {command: \(folder.file("plugin.sh")), \(exec.joined(separator: ", "))}"])
    }

    static func credential(_ version: String = "v1", expires: String = "2999-01-01T00:00:00Z") -> String {
        #"{"apiVersion":"client.authentication.k8s.io/\#(version)","kind":"ExecCredential","status":{"token":"exec-token","expirationTimestamp":"\#(expires)"}}"#
    }

    var runs: Int { (folder.read("runs") ?? "").split(separator: "\n").count }

    @Test("v1 without interactiveMode is refused, as kubectl refuses it; Always is refused when the plugin would run")
    func interactiveMode() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let missing = try kubeconfig(server: server, exec: ["apiVersion: client.authentication.k8s.io/v1"], answer: Self.credential())
        let reference = try Kubectl.run(kubeconfig: missing, ["get", "--raw", "/api/v1/namespaces"], home: folder)
        #expect(!reference.succeeded && reference.errorText.contains("interactiveMode must be specified"), "\(reference)")
        #expect(throws: StoreError.self) { try KubernetesStore.open(kubeconfig: missing, context: nil, environment: [:]) }

        let always = try kubeconfig(
            server: server, exec: ["apiVersion: client.authentication.k8s.io/v1", "interactiveMode: Always"], answer: Self.credential())
        let alwaysReference = try Kubectl.run(kubeconfig: always, ["get", "--raw", "/api/v1/namespaces"], home: folder)
        #expect(!alwaysReference.succeeded && alwaysReference.errorText.contains("interactive mode"), "\(alwaysReference)")
        let store = try KubernetesStore.open(kubeconfig: always, context: nil, environment: [:])
        await expectStoreError({ try await store.load() }) { "\($0)".contains("needs a terminal (interactiveMode: Always)") }
        #expect(runs == 0)
    }

    @Test("an answer of another apiVersion than configured is refused with kubectl's words")
    func answerVersion() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let path = try kubeconfig(
            server: server, exec: ["apiVersion: client.authentication.k8s.io/v1", "interactiveMode: Never"],
            answer: Self.credential("v1beta1"))
        let words = "is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1"
        let reference = try Kubectl.run(kubeconfig: path, ["get", "--raw", "/api/v1/namespaces"], home: folder)
        #expect(!reference.succeeded && reference.errorText.contains(words), "\(reference)")
        let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
        await expectStoreError({ try await store.load() }) { "\($0)".contains(words) }
    }

    @Test("expirationTimestamp with fractional seconds: a past one runs the plugin again, a future one is cached")
    func fractionalExpiry() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let exec = ["apiVersion: client.authentication.k8s.io/v1beta1"]
        let expired = try KubernetesStore.open(
            kubeconfig: try kubeconfig(server: server, exec: exec, answer: Self.credential("v1beta1", expires: "2000-01-01T00:00:00.5Z")),
            context: nil, environment: [:])
        _ = try await expired.load()
        let afterFirst = runs
        _ = try await expired.load()
        #expect(runs > afterFirst, "an expired credential was used again")
        try folder.write("runs", "")
        let future = try KubernetesStore.open(
            kubeconfig: try kubeconfig(server: server, exec: exec, answer: Self.credential("v1beta1", expires: "2999-01-01T00:00:00.123456Z")),
            context: nil, environment: [:])
        _ = try await future.load()
        _ = try await future.load()
        #expect(runs == 1)
    }

    @Test("provideClusterInfo: the plugin gets the server and CA in KUBERNETES_EXEC_INFO, as from kubectl")
    func clusterInfo() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let path = try kubeconfig(
            server: server, exec: ["apiVersion: client.authentication.k8s.io/v1", "interactiveMode: Never", "provideClusterInfo: true"],
            answer: Self.credential())
        let reference = try Kubectl.run(kubeconfig: path, ["get", "--raw", "/api/v1/namespaces"], home: folder)
        #expect(reference.succeeded, "\(reference)")
        let kubectlInfo = try JSONReader.read(Array((folder.read("info.json") ?? "").utf8))
        _ = try await KubernetesStore.open(kubeconfig: path, context: nil, environment: [:]).load()
        let kgateInfo = try JSONReader.read(Array((folder.read("info.json") ?? "").utf8))
        for key in ["server", "certificate-authority-data"] {
            #expect(kgateInfo["spec"]?["cluster"]?[key] == kubectlInfo["spec"]?["cluster"]?[key], "\(key)")
        }
        #expect(kgateInfo["spec"]?["cluster"]?["server"] == .string(server.url))
        #expect(kgateInfo["spec"]?["interactive"] == .bool(false) && kgateInfo["apiVersion"] == kubectlInfo["apiVersion"])
    }

    @Test("a 401 drops the cached credential and runs the plugin once more; a second 401 is reported, not looped")
    func unauthorizedRunsAgain() async throws {
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        // The first run gives a token the server refuses (revoked early); later runs a good one.
        try folder.write("answers/1", Self.credential().replacingOccurrences(of: "exec-token", with: "revoked-token"))
        try folder.write("plugin.sh", """
            #!/bin/sh
            echo run >> '\(folder.file("runs"))'
            n=$(wc -l < '\(folder.file("runs"))' | tr -d ' ')
            if [ -e '\(folder.file("answers"))/'$n ]; then cat '\(folder.file("answers"))/'$n; else printf '%s' '\(Self.credential())'; fi

            """)
        chmod(folder.file("plugin.sh"), 0o755)
        let path = try server.kubeconfig(
            cluster: server.authority,
            user: ["exec: {command: \(folder.file("plugin.sh")), apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}"])
        let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
        #expect(try await store.load().userProjects.count == 3)
        #expect(runs == 2)
        // Every token refused: one more run per refused request, then the 401 is the answer.
        server.cluster.expectedToken = "nobody-has-it"
        let before = runs
        let other = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
        await expectStoreError({ try await other.gatewayFlavor() }) { "\($0)".contains("401 Unauthorized") }
        #expect(runs - before <= 2 * 4, "the plugin ran \(runs - before) times for one discovery")
    }
}

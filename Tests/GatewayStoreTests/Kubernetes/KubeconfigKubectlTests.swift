import ChildProcess
import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// kubeconfig cases where kgate must answer as kubectl (client-go's clientcmd) does. Each
/// test runs the real kubectl on the same file, against the same test API server, and
/// checks that both give the same verdict or send the same identity.
@Suite("Kubeconfig cases, kubectl's answer as the expected one")
struct KubeconfigKubectlTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("kubeconfig-kubectl") }

    /// A kubeconfig of one context `c` with `cluster` and `user` as YAML flow-map bodies.
    func write(server: String, cluster: [String] = [], user: [String] = [], namespace: String? = nil) throws -> String {
        let clusterFields = (["server: \"\(server)\""] + cluster).joined(separator: ", ")
        let context = ["cluster: c", "user: u"] + (namespace.map { ["namespace: \($0)"] } ?? [])
        try folder.write("config", """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: c
              cluster: {\(clusterFields)}
            users:
            - name: u
              user: {\(user.joined(separator: ", "))}
            contexts:
            - name: c
              context: {\(context.joined(separator: ", "))}

            """)
        return folder.file("config")
    }

    /// kubectl's list of namespaces through `path`, as raw JSON (no discovery involved).
    func kubectl(_ path: String) throws -> ChildProcess.Outcome {
        try Kubectl.run(kubeconfig: path, ["get", "--raw", "/api/v1/namespaces"], home: folder)
    }

    @Test("token and tokenFile both set: the file wins, for kubectl and kgate")
    func tokenFileWins() async throws {
        let server = try await KubeFixture.server(expectingToken: "file-token")
        defer { Task { await server.stop() } }
        try folder.write("token", "file-token\n")
        let path = try write(server: server.url, cluster: server.authority, user: ["token: inline-token", "tokenFile: token"])
        let reference = try kubectl(path)
        #expect(reference.succeeded, "\(reference)")
        let kubectlRequest = try #require(server.cluster.requests.last)
        let before = server.cluster.requests.count
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.credential == .tokenFile(folder.file("token")))
        #expect(try await KubernetesStore(connection: connection).load().userProjects.count == 3)
        let kgateRequest = try #require(server.cluster.requests.dropFirst(before).first { $0.path == "/api/v1/namespaces" })
        #expect(Self.identity(kgateRequest) == Self.identity(kubectlRequest))
        #expect(Self.identity(kgateRequest) == ["authorization: Bearer file-token"])
    }

    @Test("a name twice in one list: kubectl and kgate refuse the file")
    func duplicateNames() throws {
        try folder.write("config", """
            current-context: a
            clusters:
            - name: a
              cluster: {server: "https://10.0.0.1:6443"}
            - name: a
              cluster: {server: "https://10.0.0.2:6443"}
            contexts:
            - name: a
              context: {cluster: a}

            """)
        let reference = try Kubectl.run(kubeconfig: folder.file("config"), ["config", "view", "--minify"], home: folder)
        #expect(!reference.succeeded && reference.errorText.contains("duplicate name \"a\""), "\(reference)")
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(folder.file("config"))",
            errors: [FieldError("clusters[1].name", "Duplicate value: \"a\" is named twice in clusters")])) {
            try KubeconfigLoader.connection(kubeconfig: folder.file("config"), context: nil, environment: [:])
        }
    }

    @Test("~ is not the home folder: ~/ca.crt is read beside the kubeconfig, as kubectl reads it")
    func tildeIsLiteral() throws {
        let path = try write(server: "https://127.0.0.1:1", cluster: ["certificate-authority: ~/ca.crt"], user: ["token: t"])
        let expected = folder.file("~/ca.crt")
        let reference = try kubectl(path)
        #expect(!reference.succeeded && reference.errorText.contains("unable to read certificate-authority \(expected)"), "\(reference)")
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)", errors: [FieldError("clusters[0].cluster.certificate-authority", "cannot read \(expected)")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        }
    }

    @Test("certificate-authority and its data both set: refused by both")
    func authorityFileAndData() throws {
        try folder.write("ca.crt", "not read\n")
        let path = try write(
            server: "https://127.0.0.1:1", cluster: ["certificate-authority: ca.crt", "certificate-authority-data: Q0EK"],
            user: ["token: t"])
        let reference = try kubectl(path)
        #expect(!reference.succeeded && reference.errorText.contains("are both specified"), "\(reference)")
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)",
            errors: [FieldError(
                "clusters[0].cluster.certificate-authority-data",
                "certificate-authority-data and certificate-authority are both specified (kubectl refuses it too): keep one")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        }
    }

    @Test("a CA and insecure-skip-tls-verify together: refused by both")
    func authorityAndInsecure() throws {
        let path = try write(
            server: "https://127.0.0.1:1", cluster: ["certificate-authority-data: Q0EK", "insecure-skip-tls-verify: true"],
            user: ["token: t"])
        let reference = try kubectl(path)
        #expect(!reference.succeeded && reference.errorText.contains("insecure flag is not allowed"), "\(reference)")
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)",
            errors: [FieldError(
                "clusters[0].cluster.insecure-skip-tls-verify",
                "specifying a root certificates file with the insecure flag is not allowed (kubectl refuses it too): drop one")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        }
    }

    @Test("http:// server: no credentials at all, the Impersonate-* headers as kubectl sends them")
    func plainHTTPAndImpersonation() async throws {
        let server = try await TestAPIServer.start(try Self.seeded())
        defer { Task { await server.stop() } }
        let path = try write(
            server: server.url,
            user: [
                "token: never-sent", "as: alice", "as-uid: \"1001\"", "as-groups: [developers, ops]",
                "as-user-extra: {\"scopes/team\": [east, west], reason: [audit]}",
            ])
        let reference = try kubectl(path)
        #expect(reference.succeeded, "\(reference)")
        let kubectlRequest = try #require(server.cluster.requests.last)
        let before = server.cluster.requests.count
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.credential == .none)
        #expect(try await KubernetesStore(connection: connection).load().userProjects.count == 3)
        let kgateRequests = server.cluster.requests.dropFirst(before)
        let kgateRequest = try #require(kgateRequests.first { $0.path == "/api/v1/namespaces" })
        #expect(kubectlRequest.header("Authorization").isEmpty && kgateRequest.header("Authorization").isEmpty)
        #expect(Self.identity(kgateRequest) == Self.identity(kubectlRequest))
        #expect(Self.identity(kgateRequest).contains("impersonate-extra-scopes%2fteam: east"))
    }

    @Test("tls-server-name is the name verified: the certificate's name works, none or another fails, for both")
    func tlsServerName() async throws {
        // The certificate names kube.internal only, not the address the server listens on.
        let pki = try TestCertificates.make(serverNames: "DNS:kube.internal")
        let cluster = try Self.seeded()
        cluster.expectedToken = KubeFixture.token
        let server = try await TestAPIServer.start(cluster, tls: TestAPIServer.TLS(certificates: pki))
        defer { Task { await server.stop() } }
        for (name, works) in [("kube.internal", true), ("wrong.example", false), (nil, false)] {
            let path = try write(
                server: server.url, cluster: server.authority + (name.map { ["tls-server-name: \($0)"] } ?? []),
                user: ["token: \(KubeFixture.token)"])
            let reference = try kubectl(path)
            #expect(reference.succeeded == works, "\(name ?? "none"): \(reference)")
            let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
            do {
                _ = try await bounded { try await store.load() }
                #expect(works, "kgate accepted a certificate for another name than \(name ?? "none")")
            } catch {
                #expect(!works && "\(error)".contains("certificate"), "\(name ?? "none"): \(error)")
            }
        }
        // Both send the server's own address as Host, whatever name TLS used.
        let hosts = Set(server.cluster.requests.flatMap { $0.header("Host") })
        #expect(hosts == [String(server.url.dropFirst("https://".count))])
    }

    @Test("the context's namespace is the default project; none means default, as kubectl")
    func contextNamespace() throws {
        for namespace in ["shop", nil] {
            let path = try write(server: "https://127.0.0.1:1", namespace: namespace)
            let reference = try Kubectl.run(kubeconfig: path, ["config", "view", "--minify", "-o", "jsonpath={..namespace}"], home: folder)
            #expect(reference.outputText == (namespace ?? ""), "\(reference)")
            #expect(try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:]).namespace == namespace ?? "default")
        }
    }

    @Test("in a pod with no kubeconfig: the service account, its CA and namespace, IPv6 in brackets")
    func inCluster() throws {
        try folder.write("sa/token", "pod-token\n")
        try folder.write("sa/ca.crt", "CA\n")
        try folder.write("sa/namespace", "shop\n")
        var environment = ["KUBECONFIG": folder.file("missing"), "KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let connection = try KubeconfigLoader.connection(
            kubeconfig: nil, context: nil, environment: environment, serviceAccountFolder: folder.file("sa"))
        #expect(connection.server == "https://10.96.0.1:443" && connection.namespace == "shop")
        #expect(connection.credential == .tokenFile(folder.file("sa/token")))
        #expect(connection.certificateAuthorityPEM == Array("CA\n".utf8))
        environment["KUBERNETES_SERVICE_HOST"] = "fd00::1"
        environment["POD_NAMESPACE"] = "east"
        let six = try KubeconfigLoader.connection(kubeconfig: nil, context: nil, environment: environment, serviceAccountFolder: folder.file("sa"))
        #expect(six.server == "https://[fd00::1]:443" && six.namespace == "east")
        // Outside a pod the usual refusal stands.
        environment["KUBERNETES_SERVICE_HOST"] = nil
        #expect(throws: StoreError.self) {
            try KubeconfigLoader.connection(kubeconfig: nil, context: nil, environment: environment, serviceAccountFolder: folder.file("sa"))
        }
    }

    // MARK: Helpers

    static func seeded() throws -> TestCluster {
        let cluster = TestCluster()
        try KubeFixture.seedDemo(into: cluster)
        return cluster
    }

    /// The identity headers of a request, names lowercased (Go writes them canonical).
    static func identity(_ request: TestRequest) -> Set<String> {
        Set(request.headers.compactMap { name, value in
            let lower = name.lowercased()
            return lower.hasPrefix("impersonate-") || lower == "authorization" ? "\(lower): \(value)" : nil
        })
    }
}

/// `proxy-url`, through a proxy that logs the tunnels it opens: kgate and kubectl both
/// tunnel to the API server through it, by HTTP CONNECT and by SOCKS5; an https:// proxy is
/// refused by kgate with the field named.
@Suite("Kubeconfig proxy-url, kubectl's tunnels as the expected ones")
struct KubeconfigProxyTests {
    @Test("http:// and socks5:// proxies carry kgate's and kubectl's requests alike")
    func proxies() async throws {
        let folder = try TemporaryFolder("kubeconfig-proxy")
        let server = try await KubeFixture.server(expectingToken: KubeFixture.token)
        defer { Task { await server.stop() } }
        let proxy = try await TestProxy.start()
        defer { proxy.stop() }
        let target = String(server.url.dropFirst("https://".count))
        for (scheme, tunnel) in [("http", "CONNECT \(target)"), ("socks5", "SOCKS5 \(target)")] {
            let path = try server.kubeconfig(
                token: KubeFixture.token, cluster: server.authority + ["proxy-url: \(scheme)://127.0.0.1:\(proxy.port)"])
            let before = proxy.tunnels.count
            let reference = try Kubectl.run(kubeconfig: path, ["get", "--raw", "/api/v1/namespaces"], home: folder)
            #expect(reference.succeeded, "\(scheme): \(reference)")
            #expect(proxy.tunnels.dropFirst(before).contains(tunnel), "kubectl: \(proxy.tunnels)")
            let afterKubectl = proxy.tunnels.count
            let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
            #expect(try await bounded { try await store.load() }.userProjects.count == 3)
            #expect(proxy.tunnels.dropFirst(afterKubectl).contains(tunnel), "kgate: \(proxy.tunnels)")
        }
    }

    @Test("an https:// or unknown proxy scheme is refused with the field")
    func refusedSchemes() throws {
        let folder = try TemporaryFolder("kubeconfig-proxy")
        for (url, reason) in [
            ("https://proxy:3128", "an https:// proxy is not supported by kgate; use http:// or socks5://"),
            ("ftp://proxy:21", "the scheme ftp is not a proxy scheme; use http:// or socks5://"),
        ] {
            try folder.write("config", """
                current-context: c
                clusters:
                - name: c
                  cluster: {server: "https://10.0.0.1:6443", proxy-url: "\(url)"}
                contexts:
                - name: c
                  context: {cluster: c}

                """)
            #expect(throws: StoreError.invalid(
                object: "kubeconfig \(folder.file("config"))", errors: [FieldError("clusters[0].cluster.proxy-url", reason)])) {
                try KubeconfigLoader.connection(kubeconfig: folder.file("config"), context: nil, environment: [:])
            }
        }
    }
}

import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

@Suite("Kubeconfig: finding, merging and resolving as kubectl does")
struct KubeconfigTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("kubeconfig") }

    /// Writes a kubeconfig with one cluster, user and context each, named after `name`.
    func write(
        _ file: String, name: String, server: String = "https://10.0.0.1:6443", cluster: [String] = [],
        user: String = "    token: t-NAME\n", current: String? = nil
    ) throws -> String {
        var text = "apiVersion: v1\nkind: Config\n"
        if let current { text += "current-context: \(current)\n" }
        text += """
            clusters:
            - name: \(name)
              cluster:
                server: \(server)\(cluster.map { "\n    \($0)" }.joined())
            users:
            - name: \(name)
              user:
            \(user.replacingOccurrences(of: "NAME", with: name))contexts:
            - name: \(name)
              context:
                cluster: \(name)
                user: \(name)
                namespace: ns-\(name)

            """
        let path = folder.path + "/" + file
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("--kubeconfig, else KUBECONFIG (colon-separated, deduplicated), else ~/.kube/config")
    func fileOrder() throws {
        #expect(try KubeconfigLoader.files(kubeconfig: "/a", environment: ["KUBECONFIG": "/b"]) == ["/a"])
        #expect(try KubeconfigLoader.files(kubeconfig: nil, environment: ["KUBECONFIG": "/b::/c:/b"]) == ["/b", "/c"])
        #expect(try KubeconfigLoader.files(kubeconfig: nil, environment: ["HOME": "/home/op"]) == ["/home/op/.kube/config"])
    }

    @Test("KUBECONFIG merge: the first file wins for each name and for current-context; missing files are skipped")
    func mergeOrder() throws {
        let first = try write("first", name: "shared", server: "https://first:6443", current: "shared")
        let second = try write("second", name: "shared", server: "https://second:6443", current: "other")
        let third = try write("third", name: "other", current: "other")
        let list = [first, folder.path + "/missing", second, third].joined(separator: ":")
        let connection = try KubeconfigLoader.connection(kubeconfig: nil, context: nil, environment: ["KUBECONFIG": list])
        #expect(connection.contextName == "shared")
        #expect(connection.server == "https://first:6443")
        #expect(connection.credential == .token("t-shared"))
        #expect(connection.namespace == "ns-shared")
        // A context only a later file defines is still there.
        let other = try KubeconfigLoader.connection(kubeconfig: nil, context: "other", environment: ["KUBECONFIG": list])
        #expect(other.server == "https://10.0.0.1:6443" && other.credential == .token("t-other"))
    }

    @Test("--context picks the context; an unknown one is refused with the known ones")
    func contextChoice() throws {
        let path = try write("config", name: "prod", current: nil)
        #expect(try KubeconfigLoader.connection(kubeconfig: path, context: "prod", environment: [:]).contextName == "prod")
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)", errors: [FieldError("--context", "context \"staging\" not found (contexts: prod)")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: "staging", environment: [:])
        }
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)",
            errors: [FieldError("current-context", "Required value: no current context is set; name one with --context")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        }
    }

    @Test("tokenFile is read relative to the kubeconfig, anew for each request")
    func tokenFile() async throws {
        let server = try await KubeFixture.server(expectingToken: "file-token")
        defer { Task { await server.stop() } }
        try "file-token\n".write(toFile: folder.path + "/token", atomically: true, encoding: .utf8)
        let path = try write(
            "config", name: "c", server: server.url, cluster: server.authority, user: "    tokenFile: token\n", current: "c")
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.credential == .tokenFile(folder.path + "/token"))
        let store = try KubernetesStore(connection: connection)
        #expect(try await store.load().userProjects.count == 3)
        // A rotated token is picked up by the next request.
        try "rotated-token\n".write(toFile: folder.path + "/token", atomically: true, encoding: .utf8)
        server.cluster.expectedToken = "rotated-token"
        #expect(try await store.load().userProjects.count == 3)
    }

    @Test("an exec plugin's ExecCredential token is used, and cached until it expires")
    func execPlugin() async throws {
        let script = folder.path + "/plugin.sh"
        let calls = folder.path + "/calls"
        try """
            #!/bin/sh
            echo run >> "\(calls)"
            test "$1" = "--cluster" && test "$2" = "east" || exit 3
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-token","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$PLUGIN_PREFIX"

            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let user = """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  interactiveMode: Never
                  command: ./plugin.sh
                  args: ["--cluster", "east"]
                  env:
                  - name: PLUGIN_PREFIX
                    value: exec

            """
        let server = try await KubeFixture.server(expectingToken: "exec-token")
        defer { Task { await server.stop() } }
        let path = try write("config", name: "c", server: server.url, cluster: server.authority, user: user, current: "c")
        let store = try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
        #expect(try await store.load().userProjects.count == 3)
        _ = try await store.load()
        #expect(try String(contentsOfFile: calls, encoding: .utf8) == "run\n")
    }

    // A throwaway self-signed EC certificate and key made for this test (CN kgate-test-user);
    // they protect nothing.
    @Test("client certificate and key data are decoded and read as PEM; a bad key is refused without showing it")
    func clientCertificateData() throws {
        let user = "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJpekNDQVRHZ0F3SUJBZ0lVTWllUjZOWmZ1WHZRcWtSWE1US3JhRmpWdHc0d0NnWUlLb1pJemowRUF3SXcKR2pFWU1CWUdBMVVFQXd3UGEyZGhkR1V0ZEdWemRDMTFjMlZ5TUNBWERUSTJNVEV5TnpFeU1UZ3lORm9ZRHpJeApNall4TVRBek1USXhPREkwV2pBYU1SZ3dGZ1lEVlFRRERBOXJaMkYwWlMxMFpYTjBMWFZ6WlhJd1dUQVRCZ2NxCmhrak9QUUlCQmdncWhrak9QUU1CQndOQ0FBU1RsLzNPalRiTm1OYXZSaDJNVU1XOFhuK1phSjNyaFh4VnpFdzYKNnRvMlhSSGFSZHBwS3BFOUJIcE9wWlRKcU5TR0JUaStBTmR1MzcxOXp3US9PejBrbzFNd1VUQWRCZ05WSFE0RQpGZ1FVN3hxZ095dy9EcGo2dG40aWlGQ0tCekxpUGRRd0h3WURWUjBqQkJnd0ZvQVU3eHFnT3l3L0RwajZ0bjRpCmlGQ0tCekxpUGRRd0R3WURWUjBUQVFIL0JBVXdBd0VCL3pBS0JnZ3Foa2pPUFFRREFnTklBREJGQWlBWWhSVkQKNlBVdDJSd3NZN2t6c3ZGUXlBUjZrWGcwNHFUazJ4cGNLTXdMRlFJaEFKdno3dkUxSXIzeXZNYm1vUTFKR1hERgpFRVM2cnVuMUNocUU3akt1cHVkUAotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==\n    client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZ2FwL20vMHhxNTFmc1JCNXgKUFZkbk1CVmU5ZS9ycmhTdEpRd1B5OGo4UU91aFJBTkNBQVNUbC8zT2pUYk5tTmF2UmgyTVVNVzhYbitaYUozcgpoWHhWekV3NjZ0bzJYUkhhUmRwcEtwRTlCSHBPcFpUSnFOU0dCVGkrQU5kdTM3MTl6d1EvT3owawotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==\n"
        let path = try write("config", name: "c", user: user, current: "c")
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.clientCertificatePEM.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(connection.clientKeyPEM.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("-----BEGIN PRIVATE KEY-----") == true)
        _ = try KubernetesStore(connection: connection)

        var broken = connection
        broken.clientKeyPEM = Array("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n".utf8)
        #expect(throws: StoreError.invalid(
            object: "kubeconfig context c", errors: [FieldError("user.client-key-data", "not a PEM private key")])) {
            try KubernetesStore(connection: broken)
        }
    }

    @Test("a broken kubeconfig is refused with every wrong field, and no secret in the message")
    func badKubeconfig() throws {
        let path = folder.path + "/bad"
        try """
            current-context: x
            clusters:
            - name: x
              cluster:
                server: 10.0.0.1:6443
                insecure-skip-tls-verify: maybe
            - cluster:
                server: https://b
            users:
            - name: x
              user:
                token: s3cret-value
                client-certificate-data: not*base64
            contexts:
            - name: x
              context:
                user: x

            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
            Issue.record("a broken kubeconfig loaded")
        } catch {
            guard case .invalid(let object, let errors) = error else { throw error }
            #expect(object == "kubeconfig \(path)")
            #expect(errors.map(\.description) == [
                "clusters[1].name: Required value",
                "clusters[0].cluster.server: must be an http:// or https:// URL, not \"10.0.0.1:6443\"",
                "clusters[0].cluster.insecure-skip-tls-verify: must be true or false",
                "users[0].user.client-certificate-data: must be base64 (the value is not shown)",
                "users[0].user.client-key-data: Required value: a client certificate and its key go together",
                "contexts[0].context.cluster: Required value",
            ])
            #expect(!error.description.contains("s3cret") && !error.description.contains("not*base64"))
        }
    }

    @Test("a context whose cluster or user is missing names the field")
    func danglingNames() throws {
        let path = folder.path + "/dangling"
        try """
            current-context: x
            clusters: []
            contexts:
            - name: x
              context: {cluster: gone, user: nobody}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.invalid(
            object: "kubeconfig \(path)", errors: [FieldError("contexts[0].context.cluster", "cluster \"gone\" not found")])) {
            try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        }
        #expect(throws: StoreError.unavailable(reason: "cannot read the kubeconfig \(folder.path)/none")) {
            try KubeconfigLoader.connection(kubeconfig: folder.path + "/none", context: nil, environment: [:])
        }
    }

    @Test("descriptions never show credentials")
    func redaction() throws {
        let path = try write("config", name: "c", user: "    token: very-secret\n", current: "c")
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.description == "cluster c (https://10.0.0.1:6443)")
        let store = try KubernetesStore(connection: connection)
        #expect(store.location == "cluster c (https://10.0.0.1:6443)")
    }
}

import Foundation
import GatewayKit
import Glibc
import Testing
import TestSupport

@testable import GatewayStore

/// Issue 11: `auth-provider: oidc` as client-go's oidc plugin: the id-token while its JWT
/// `exp` is ahead, else a refresh at the issuer's token endpoint, the new tokens written
/// back into the kubeconfig (only their text changes), and never a token in a message.
@Suite("Kubeconfig auth-provider: oidc")
struct OIDCAuthProviderTests {
    /// An unsigned JWT whose `exp` is `expires` from now (the API server stand-in compares
    /// the bearer token as a string, as kgate never reads more than `exp`).
    static func jwt(expires: TimeInterval, subject: String) -> String {
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let exp = Int(Date().timeIntervalSince1970 + expires)
        return part(#"{"alg":"RS256","typ":"JWT"}"#) + "." + part(#"{"iss":"test","sub":"\#(subject)","exp":\#(exp)}"#) + ".c2lnbmF0dXJl"
    }

    /// A kubeconfig for `server` whose user is the oidc provider with `config` lines.
    static func kubeconfig(_ server: TestAPIServer, config: [String], folder: TemporaryFolder) throws -> (path: String, text: String) {
        let authority = server.authority.map { "    \($0)\n" }.joined()
        let text = """
            apiVersion: v1
            kind: Config
            # the operator's own comment, which a refresh must keep
            current-context: test
            clusters:
            - name: test
              cluster:
                server: \(server.url)
            \(authority)users:
            - name: someone-else
              user:
                token: other-token
            - name: oidc-user
              user:
                auth-provider:
                  name: oidc
                  config:
            \(config.map { "          \($0)\n" }.joined())contexts:
            - name: test
              context: {cluster: test, user: oidc-user, namespace: demo}

            """
        let path = folder.file("config")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return (path, text)
    }

    static func open(_ path: String) throws -> KubernetesStore {
        try KubernetesStore.open(kubeconfig: path, context: nil, environment: [:])
    }

    static var caData: String {
        get throws { "idp-certificate-authority-data: " + (try TestCertificates.shared.get().contents(try TestCertificates.shared.get().caPath)).base64EncodedString() }
    }

    @Test("a valid id-token is the bearer token; the issuer is not asked")
    func validIDToken() async throws {
        let idToken = Self.jwt(expires: 3600, subject: "valid")
        let server = try await KubeFixture.server(expectingToken: idToken)
        defer { Task { await server.stop() } }
        let folder = try TemporaryFolder("oidc-valid")
        // The issuer's port is closed: any refresh would fail.
        let (path, _) = try Self.kubeconfig(
            server, config: ["idp-issuer-url: https://127.0.0.1:1", "client-id: kgate", "id-token: \(idToken)", "refresh-token: r1"],
            folder: folder)
        let inventory = try await Self.open(path).load()
        #expect(inventory.route(project: "demo", name: "demo") != nil)
        #expect(server.cluster.requests.allSatisfy { $0.authorization == "Bearer \(idToken)" })
    }

    @Test("an expired id-token is refreshed at the discovered token endpoint and both tokens are written back in place")
    func expiredIsRefreshedAndPersisted() async throws {
        let old = Self.jwt(expires: -60, subject: "old")
        let new = Self.jwt(expires: 3600, subject: "new")
        let issuer = try await TestOIDCIssuer.start(accepting: "refresh-one", idToken: new, refreshToken: "refresh-two")
        defer { issuer.stop() }
        let server = try await KubeFixture.server(expectingToken: new)
        defer { Task { await server.stop() } }
        let folder = try TemporaryFolder("oidc-refresh")
        let (path, text) = try Self.kubeconfig(
            server,
            config: [
                "client-id: kgate", "client-secret: shh-secret", "id-token: \(old)", "idp-issuer-url: \(issuer.url)",
                try Self.caData, "refresh-token: \"refresh-one\"", "extra-scopes: groups",
            ], folder: folder)

        let inventory = try await Self.open(path).load()
        #expect(inventory.route(project: "demo", name: "demo") != nil)
        #expect(server.cluster.requests.allSatisfy { $0.authorization == "Bearer \(new)" }, "the old token was never sent")
        // Discovery, then one refresh with the client's credentials.
        #expect(issuer.requests.first?["path"] as? String == "/.well-known/openid-configuration")
        let refresh = try #require(issuer.tokenRequests.first)
        #expect(issuer.tokenRequests.count == 1)
        #expect(refresh["grant_type"] == "refresh_token" && refresh["refresh_token"] == "refresh-one")
        #expect(refresh["client_id"] == "kgate" && refresh["client_secret"] == "shh-secret")

        // Only the two values changed; the comment, the order, the quoting style stay.
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let expected = text.replacingOccurrences(of: "id-token: \(old)", with: "id-token: \(new)")
            .replacingOccurrences(of: "refresh-token: \"refresh-one\"", with: "refresh-token: \"refresh-two\"")
        #expect(written == expected, "\(lineDiff(expected: expected, actual: written))")
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600, "the kubeconfig's mode was not kept")
        #expect(!FileManager.default.fileExists(atPath: folder.file(".config.kgate-\(getpid())")), "a temporary file was left")

        // The next start uses the stored token without asking the issuer again.
        _ = try await Self.open(path).load()
        #expect(issuer.tokenRequests.count == 1)
    }

    @Test("kubectl on the same file refreshes the same way: the same grant, the same tokens written back, the same bearer token")
    func sameAsKubectl() async throws {
        let old = Self.jwt(expires: -60, subject: "old")
        let new = Self.jwt(expires: 3600, subject: "new")
        let issuer = try await TestOIDCIssuer.start(accepting: "refresh-one", idToken: new, refreshToken: "refresh-two")
        defer { issuer.stop() }
        let server = try await KubeFixture.server(expectingToken: new)
        defer { Task { await server.stop() } }
        let config = [
            "client-id: kgate", "id-token: \(old)", "idp-issuer-url: \(issuer.url)", try Self.caData, "refresh-token: refresh-one",
        ]
        let kubectlFolder = try TemporaryFolder("oidc-kubectl")
        let (kubectlPath, _) = try Self.kubeconfig(server, config: config, folder: kubectlFolder)
        let reference = try Kubectl.run(kubeconfig: kubectlPath, ["get", "--raw", "/api/v1/namespaces"], home: kubectlFolder)
        #expect(reference.succeeded, "\(reference)")
        let kubectlGrant = try #require(issuer.tokenRequests.first, "kubectl did not refresh")

        let kgateFolder = try TemporaryFolder("oidc-kgate")
        let (kgatePath, _) = try Self.kubeconfig(server, config: config, folder: kgateFolder)
        _ = try await Self.open(kgatePath).load()
        let kgateGrant = try #require(issuer.tokenRequests.dropFirst().first, "kgate did not refresh")
        #expect(kgateGrant["grant_type"] == kubectlGrant["grant_type"] && kgateGrant["refresh_token"] == kubectlGrant["refresh_token"])
        #expect(server.cluster.requests.allSatisfy { $0.authorization == "Bearer \(new)" }, "kubectl and kgate sent the new id-token only")
        for path in [kubectlPath, kgatePath] {
            let user = try KubeconfigParser.parse(try String(contentsOfFile: path, encoding: .utf8), file: path).users["oidc-user"]
            #expect(user?.authProvider?.idToken == new && user?.authProvider?.refreshToken == "refresh-two", "\(path)")
        }
    }

    @Test("a refresh the issuer refuses is an error naming the issuer and the OAuth error, never a token; the file stays")
    func refusedRefresh() async throws {
        let old = Self.jwt(expires: -60, subject: "old")
        let issuer = try await TestOIDCIssuer.start(accepting: "another-refresh-token", idToken: "never-given", refreshToken: nil)
        defer { issuer.stop() }
        let server = try await KubeFixture.server(expectingToken: "unused")
        defer { Task { await server.stop() } }
        let folder = try TemporaryFolder("oidc-refused")
        let (path, text) = try Self.kubeconfig(
            server,
            config: ["idp-issuer-url: \(issuer.url)", try Self.caData, "client-id: kgate", "client-secret: shh-secret",
                     "id-token: \(old)", "refresh-token: refresh-one"],
            folder: folder)
        await expectStoreError({ try await Self.open(path).load() }) { error in
            let text = "\(error)"
            return text.contains(issuer.url) && text.contains("invalid_grant") && !text.contains("refresh-one")
                && !text.contains(old) && !text.contains("shh-secret")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(server.cluster.requests.isEmpty, "an expired id-token was sent")
    }

    @Test("an expired id-token without a refresh-token asks for a new login")
    func expiredWithoutRefreshToken() async throws {
        let server = try await KubeFixture.server(expectingToken: "unused")
        defer { Task { await server.stop() } }
        let folder = try TemporaryFolder("oidc-no-refresh")
        let old = Self.jwt(expires: -60, subject: "old")
        let (path, _) = try Self.kubeconfig(
            server, config: ["idp-issuer-url: https://127.0.0.1:1", "client-id: kgate", "id-token: \(old)"], folder: folder)
        await expectStoreError({ try await Self.open(path).load() }) { error in
            "\(error)".contains("has expired and there is no refresh-token") && !"\(error)".contains(old)
        }
    }

    @Test("a config without an id-token key gets one: the file is written anew from its YAML, the other users kept")
    func missingKeyRewritesTheDocument() throws {
        let text = """
            users:
            - name: a
              user: {token: keep-me}
            - name: oidc-user
              user:
                auth-provider:
                  name: oidc
                  config: {client-id: kgate, idp-issuer-url: "https://issuer", refresh-token: r1}

            """
        let updated = try KubeconfigTokenWriter.updatedText(text, user: "oidc-user", values: ["id-token": "new-id", "refresh-token": "r2"], file: "config")
        let config = try KubeconfigParser.parse(updated, file: "/tmp/config")
        #expect(config.users["a"]?.token == "keep-me")
        #expect(config.users["oidc-user"]?.authProvider?.idToken == "new-id")
        #expect(config.users["oidc-user"]?.authProvider?.refreshToken == "r2")
        #expect(config.users["oidc-user"]?.authProvider?.clientID == "kgate")
    }

    @Test("the JWT's exp decides: ahead by more than 10 s is valid; past, too close, or unreadable is not")
    func expiry() {
        #expect(OIDCTokens.isValid(Self.jwt(expires: 3600, subject: "a")))
        #expect(!OIDCTokens.isValid(Self.jwt(expires: -1, subject: "a")))
        #expect(!OIDCTokens.isValid(Self.jwt(expires: 5, subject: "a")), "within client-go's 10 s margin")
        #expect(!OIDCTokens.isValid("not-a-jwt"))
        #expect(!OIDCTokens.isValid("a.bm90IGpzb24.c"), "a payload that is not JSON")
        #expect(!OIDCTokens.isValid(nil))
    }

    @Test("other auth-providers are refused naming them; oidc's required fields and https are checked")
    func refusedConfigurations() {
        func errors(_ provider: String) -> String {
            let text = """
                users:
                - name: u
                  user:
                    auth-provider:
                \(provider.split(separator: "\n").map { "      \($0)" }.joined(separator: "\n"))
                """
            do {
                _ = try KubeconfigParser.parse(text, file: "/tmp/config")
                return ""
            } catch {
                return "\(error)"
            }
        }
        let gcp = errors("name: gcp\nconfig: {access-token: secret-access}")
        #expect(gcp.contains("users[0].user.auth-provider.name") && gcp.contains("\"gcp\" is not supported") && gcp.contains("gke-gcloud-auth-plugin"), "\(gcp)")
        #expect(!gcp.contains("secret-access"))
        let azure = errors("name: azure")
        #expect(azure.contains("\"azure\" is not supported") && azure.contains("kubelogin"), "\(azure)")
        let other = errors("name: keystone")
        #expect(other.contains("\"keystone\" is not supported by kgate: only the oidc auth-provider is"), "\(other)")
        let missing = errors("name: oidc\nconfig: {id-token: x}")
        #expect(missing.contains("auth-provider.config.idp-issuer-url: Required value"), "\(missing)")
        #expect(missing.contains("auth-provider.config.client-id: Required value"), "\(missing)")
        let plain = errors("name: oidc\nconfig: {idp-issuer-url: \"http://issuer\", client-id: k}")
        #expect(plain.contains("auth-provider.config.idp-issuer-url: must be an https:// URL"), "\(plain)")
        #expect(errors("name: oidc\nconfig: {idp-issuer-url: \"https://issuer\", client-id: k}").isEmpty)
    }

    @Test("a user's description names the oidc provider without its tokens or secret")
    func descriptionRedacts() throws {
        let config = try KubeconfigParser.parse(
            """
            users:
            - name: u
              user:
                auth-provider:
                  name: oidc
                  config: {idp-issuer-url: "https://issuer", client-id: k, client-secret: s3cret, id-token: id-secret, refresh-token: r-secret}
            """, file: "/tmp/config")
        let text = "\(try #require(config.users["u"]))"
        #expect(text.contains("oidc") && text.contains("https://issuer"))
        #expect(!text.contains("s3cret") && !text.contains("id-secret") && !text.contains("r-secret"), "\(text)")
    }
}

import AsyncHTTPClient
import Foundation
import GatewayKit
import NIOCore
import NIOSSL

/// `users[].user.auth-provider: {name: oidc, config: {…}}`, as client-go's oidc plugin
/// reads it: the `id-token` is the bearer token while its JWT `exp` is ahead; then the
/// `refresh-token` is traded for a new one at the issuer's token endpoint (found through
/// `idp-issuer-url` + `/.well-known/openid-configuration`), and the new tokens are written
/// back into the kubeconfig file (see `KubeconfigTokenWriter`). `description` leaves every
/// secret out.
public struct OIDCConfig: Hashable, Sendable, CustomStringConvertible {
    public var issuerURL: String
    public var clientID: String
    public var clientSecret: String?
    public var idToken: String?
    public var refreshToken: String?
    /// `idp-certificate-authority`: a PEM file (absolute once parsed).
    public var issuerCertificateAuthority: String?
    /// `idp-certificate-authority-data`, decoded.
    public var issuerCertificateAuthorityData: [UInt8]?
    /// `extra-scopes`: kept for the file; a refresh does not ask for scopes (client-go neither).
    public var extraScopes: String?
    /// Where the new tokens are written back: the file that holds the user, and its name.
    public var persistence: Persistence?

    public struct Persistence: Hashable, Sendable {
        public var file: String
        public var user: String
    }

    public var description: String {
        "oidc (issuer \(issuerURL), client \(clientID)\(idToken == nil ? "" : ", id-token (redacted)")\(refreshToken == nil ? "" : ", refresh-token (redacted)"))"
    }

    /// The auth-provider names client-go once had built in, and what replaces each.
    static let retiredProviders: [String: String] = [
        "gcp": "the gcp auth-provider was removed from kubectl 1.26: use the gke-gcloud-auth-plugin exec plugin (gcloud container clusters get-credentials writes it)",
        "azure": "the azure auth-provider was removed from kubectl 1.26: use the kubelogin exec plugin (kubelogin convert-kubeconfig writes it)",
    ]
}

/// The id-token of an oidc user, refreshed when it expires. Kept by `BearerTokens`.
enum OIDCTokens {
    /// client-go's margin: a token that expires within 10 s is refreshed first.
    static let expiryMargin: TimeInterval = 10

    /// The JWT's `exp` (seconds since 1970), nil when the token is no JWT or has none.
    static func expiry(ofJWT token: String) -> Date? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = base64URLDecoded(String(parts[1])),
            let claims = try? JSONReader.read(payload)
        else { return nil }
        switch claims["exp"] {
        case .int(let seconds)?: return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .string(let text)?: return Double(text).map { Date(timeIntervalSince1970: $0) }  // 1.7e9, 1700000000.5
        default: return nil
        }
    }

    /// Whether `token` may still be sent at `now`: a JWT whose `exp` is more than the
    /// margin ahead. A token without a readable `exp` counts as expired, as in client-go.
    static func isValid(_ token: String?, at now: Date = Date()) -> Bool {
        guard let token, !token.isEmpty, let expiry = expiry(ofJWT: token) else { return false }
        return expiry > now.addingTimeInterval(expiryMargin)
    }

    static func base64URLDecoded(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    /// A fresh id-token (and refresh-token, when the issuer rotates it) for `config`.
    /// Errors name the issuer and the OAuth error code, never a token or the secret.
    static func refresh(_ config: OIDCConfig) async throws(StoreError) -> (idToken: String, refreshToken: String?) {
        guard let refreshToken = config.refreshToken, !refreshToken.isEmpty else {
            throw .unavailable(
                reason: "the oidc id-token of the kubeconfig has expired and there is no refresh-token to renew it: log in again "
                    + "(for example with kubectl oidc-login) to get a new id-token")
        }
        let client = try httpClient(config)
        do {
            let result = try await exchange(config, refreshToken: refreshToken, client: client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func exchange(_ config: OIDCConfig, refreshToken: String, client: HTTPClient) async throws(StoreError)
        -> (idToken: String, refreshToken: String?)
    {
        let issuer = config.issuerURL.hasSuffix("/") ? String(config.issuerURL.dropLast()) : config.issuerURL
        let discoveryURL = issuer + "/.well-known/openid-configuration"
        let discovery = try await send(HTTPClientRequest(url: discoveryURL), client: client, what: "the oidc discovery document \(discoveryURL)")
        guard (200..<300).contains(discovery.status) else {
            throw .unavailable(reason: "the oidc discovery document \(discoveryURL) answered HTTP \(discovery.status)")
        }
        guard case .string(let endpoint)? = discovery.value["token_endpoint"], endpoint.lowercased().hasPrefix("https://") else {
            throw .unavailable(reason: "the oidc discovery document \(discoveryURL) names no https:// token_endpoint")
        }
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", config.clientID)]
        if let secret = config.clientSecret, !secret.isEmpty { form.append(("client_secret", secret)) }
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: form.map { "\($0.0)=\($0.1.addingPercentEncodingForPath())" }.joined(separator: "&")))
        let answer = try await send(request, client: client, what: "the oidc token endpoint \(endpoint)")
        guard (200..<300).contains(answer.status) else {
            var reason = "HTTP \(answer.status)"
            // OAuth's error code and description are fixed text of the issuer's; nothing else of the body is shown.
            if case .string(let code)? = answer.value["error"] { reason += " \(TerminalText.escaped(code))" }
            if case .string(let text)? = answer.value["error_description"] { reason += ": \(TerminalText.escaped(String(text.prefix(200))))" }
            throw .unavailable(
                reason: "the oidc issuer \(config.issuerURL) refused to refresh the kubeconfig's id-token (\(reason)); log in again to get new tokens")
        }
        guard case .string(let idToken)? = answer.value["id_token"], !idToken.isEmpty else {
            throw .unavailable(reason: "the oidc token endpoint \(endpoint) answered without an id_token")
        }
        var newRefreshToken: String?
        if case .string(let rotated)? = answer.value["refresh_token"], !rotated.isEmpty { newRefreshToken = rotated }
        return (idToken, newRefreshToken)
    }

    /// One request; its JSON answer (empty on a non-JSON error answer).
    private static func send(_ request: HTTPClientRequest, client: HTTPClient, what: String) async throws(StoreError)
        -> (status: Int, value: ManifestValue)
    {
        let bytes: [UInt8]
        let status: Int
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            bytes = Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw .unavailable(reason: "cannot reach \(what): \(ConnectionFailure.describe(error, server: request.url))\(APIClient.tlsHint(error))")
        }
        if let value = try? JSONReader.read(bytes) { return (status, value) }
        guard !(200..<300).contains(status) else { throw .unavailable(reason: "\(what) did not answer with JSON") }
        return (status, .null)
    }

    private static func httpClient(_ config: OIDCConfig) throws(StoreError) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        var pem = config.issuerCertificateAuthorityData
        if pem == nil, let path = config.issuerCertificateAuthority {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unavailable(reason: "cannot read the oidc idp-certificate-authority \(path)")
            }
            pem = Array(data)
        }
        if let pem {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem))
            } catch {
                throw .invalid(object: "kubeconfig", errors: [FieldError("auth-provider.config.idp-certificate-authority-data", "not a PEM certificate")])
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .seconds(30)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

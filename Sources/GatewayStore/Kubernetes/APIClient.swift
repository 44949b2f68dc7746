import AsyncHTTPClient
import Foundation
import GatewayKit
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Talks JSON to one API server as one user, over AsyncHTTPClient: TLS from the
/// kubeconfig (CA, client certificate, insecure-skip-tls-verify), the bearer token on
/// every request, and every refusal turned into a `StoreError` (see `APIStatus`).
/// Tokens and keys go into headers and TLS state only; no message ever includes them.
final class APIClient: Sendable {
    let connection: ClusterConnection
    private let http: HTTPClient
    private let tokens: BearerTokens
    private let base: String
    /// The server's own `host:port`, sent as `Host` when `tls-server-name` takes the URL's place.
    private let hostHeader: String?
    private let identityHeaders: [(String, String)]
    /// The Ingress version the cluster serves, found on first need (see `IngressVersions`).
    private let ingressVersion = Mutex<IngressAPIVersion?>(nil)

    /// `readTimeout`: silence on a connection longer than this ends the request; a watch
    /// (whose server ends it sooner) is then known to be half-open.
    init(
        connection: ClusterConnection, plugins: CredentialPluginPolicy = CredentialPluginPolicy(),
        readTimeout: Duration = WatchPolicy().readTimeout
    ) throws(StoreError) {
        self.connection = connection
        self.tokens = BearerTokens(connection.credential, policy: plugins)
        let server = connection.server.hasSuffix("/") ? String(connection.server.dropLast()) : connection.server
        let route = ServerName.route(server: server, tlsServerName: connection.tlsServerName)
        self.base = route.base
        self.hostHeader = route.hostHeader
        self.identityHeaders = connection.impersonation.map(ImpersonationHeaders.headers) ?? []
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try APIClient.tls(connection),
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .nanoseconds(Self.nanoseconds(readTimeout))))
        configuration.dnsOverride = route.dnsOverride
        configuration.proxy = connection.proxyURL.flatMap(Self.proxy)
        // Each watched kind holds a connection open; requests need some beside them.
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        configuration.decompression = .disabled
        // A refused or unreachable server is reported at once, not retried until the
        // connect timeout: the operator learns in a moment, and the console retries itself.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // The callback form does not block; the client keeps itself alive until it is down.
        http.shutdown { _ in }
    }

    /// AsyncHTTPClient's proxy for a parsed `proxy-url`: CONNECT through an http:// proxy
    /// (with its userinfo as basic authorization), or SOCKS5.
    static func proxy(_ text: String) -> HTTPClient.Configuration.Proxy? {
        guard let url = URLComponents(string: text), let host = url.host else { return nil }
        if url.scheme?.lowercased() == "socks5" { return .socksServer(host: host, port: url.port ?? 1080) }
        let authorization = url.user.map { HTTPClient.Authorization.basic(username: $0, password: url.password ?? "") }
        return .server(host: host, port: url.port ?? 80, authorization: authorization)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    static func tls(_ connection: ClusterConnection) throws(StoreError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        let object = "kubeconfig context \(connection.contextName)"
        do {
            if let ca = connection.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
            }
        } catch {
            throw .invalid(object: object, errors: [FieldError("cluster.certificate-authority-data", "not a PEM certificate")])
        }
        if let certificate = connection.clientCertificatePEM, let key = connection.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            } catch {
                throw .invalid(object: object, errors: [FieldError("user.client-certificate-data", "not a PEM certificate")])
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                // The key itself is never shown: only that it did not read.
                throw .invalid(object: object, errors: [FieldError("user.client-key-data", "not a PEM private key")])
            }
        }
        if connection.insecureSkipTLSVerify { tls.certificateVerification = .none }
        return tls
    }

    // MARK: Requests

    /// Sends one request and reads its JSON answer; a refusal becomes a `StoreError`.
    /// `contentType` names a PATCH's kind (`application/merge-patch+json`).
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: ManifestValue? = nil,
        contentType: String = "application/json", about request: APIStatus.Request
    ) async throws(StoreError) -> ManifestValue {
        let (sent, legacy) = try await ingressPath(path)
        let body = legacy.flatMap { version in body.map { IngressVersions.fromV1($0, to: version) } } ?? body
        let (status, bytes) = try await exchange(method, sent, query: query, body: body, contentType: contentType, about: request)
        let answer = try Self.answer(status, bytes, about: request)
        return legacy == nil ? answer : IngressVersions.toV1(answer)
    }

    /// As `send`, but nil when the server answers 410 Gone (an expired continue token or
    /// resourceVersion), which the caller answers by listing again.
    func sendUnlessGone(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], about request: APIStatus.Request
    ) async throws(StoreError) -> ManifestValue? {
        let (sent, legacy) = try await ingressPath(path)
        let (status, bytes) = try await exchange(method, sent, query: query, body: nil, about: request)
        if status == 410 { return nil }
        let answer = try Self.answer(status, bytes, about: request)
        return legacy == nil ? answer : IngressVersions.toV1(answer)
    }

    /// The Ingress version the cluster serves: `networking.k8s.io/v1` (Kubernetes 1.19+),
    /// else `networking.k8s.io/v1beta1` (1.14+), else `extensions/v1beta1`; asked once.
    func servedIngressVersion() async throws(StoreError) -> IngressAPIVersion {
        if let known = ingressVersion.withLock({ $0 }) { return known }
        for version in IngressAPIVersion.allCases {
            guard try await servedResources(version.root).contains("ingresses") else { continue }
            ingressVersion.withLock { $0 = version }
            return version
        }
        throw .unavailable(
            reason: "the cluster serves Ingress in none of "
                + IngressAPIVersion.allCases.map(\.rawValue).joined(separator: ", ") + ", which kgate reads and writes")
    }

    /// `path` as the cluster serves it, and the older version it was turned into (nil: as given).
    private func ingressPath(_ path: String) async throws(StoreError) -> (String, IngressAPIVersion?) {
        guard IngressVersions.path(path, as: .networkingV1beta1) != nil else { return (path, nil) }
        let version = try await servedIngressVersion()
        guard version != .v1, let legacy = IngressVersions.path(path, as: version) else { return (path, nil) }
        return (legacy, version)
    }

    /// A watch event's object in the model's version (an older cluster's Ingress as v1).
    func modelShape(_ object: ManifestValue, of resource: APIResource) -> ManifestValue {
        guard resource == .ingresses, let version = ingressVersion.withLock({ $0 }), version != .v1 else { return object }
        return IngressVersions.toV1(object)
    }

    private static func answer(_ status: Int, _ bytes: [UInt8], about request: APIStatus.Request) throws(StoreError) -> ManifestValue {
        guard (200..<300).contains(status) else { throw APIStatus(code: status, body: bytes).error(for: request) }
        do {
            return try JSONReader.read(bytes)
        } catch {
            throw .unavailable(reason: "the API server's answer to \(request.verb) \(request.resource) is not JSON (\(error))")
        }
    }

    /// Whether a discovery path is served (200) or not (404).
    func isServed(_ path: String) async throws(StoreError) -> Bool {
        let request = APIStatus.Request(verb: "get", resource: path, namespace: "", object: path)
        let (status, bytes) = try await exchange(.GET, path, query: [], body: nil, about: request)
        if status == 404 { return false }
        guard (200..<300).contains(status) else { throw APIStatus(code: status, body: bytes).error(for: request) }
        return true
    }

    /// The resources a group version serves (`/apis/networking.k8s.io/v1` → `ingresses`, …);
    /// empty when the group version is not served at all.
    func servedResources(_ root: String) async throws(StoreError) -> Set<String> {
        let request = APIStatus.Request(verb: "get", resource: root, namespace: "", object: root)
        let (status, bytes) = try await exchange(.GET, root, query: [], body: nil, about: request)
        if status == 404 { return [] }
        guard case .list(let resources)? = try Self.answer(status, bytes, about: request)["resources"] else { return [] }
        return Set(resources.compactMap { resource in
            if case .string(let name)? = resource["name"] { return name }
            return nil
        })
    }

    /// Opens a watch; the caller reads its body line by line. A refusal (410 Gone among
    /// them) is returned as the status with its body, for the watcher to decide.
    func openStream(_ path: String, query: [(String, String)]) async throws(StoreError) -> HTTPClientResponse {
        try await perform(.GET, try await ingressPath(path).0, query: query, body: nil, deadline: .hours(24)).response
    }

    private func exchange(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: ManifestValue?,
        contentType: String = "application/json", about request: APIStatus.Request
    ) async throws(StoreError) -> (Int, [UInt8]) {
        var (response, token) = try await perform(
            method, path, query: query, body: body, contentType: contentType, deadline: .seconds(60))
        if response.status == .unauthorized, tokens.canRefresh {
            await tokens.invalidate(token)  // an exec token may have expired early: ask once more
            response = try await perform(
                method, path, query: query, body: body, contentType: contentType, deadline: .seconds(60)).response
        }
        do {
            let buffer = try await response.body.collect(upTo: 256 << 20)
            return (Int(response.status.code), Array(buffer.readableBytesView))
        } catch {
            throw unreachable(error)
        }
    }

    private func perform(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: ManifestValue?,
        contentType: String = "application/json", deadline: TimeAmount
    ) async throws(StoreError) -> (response: HTTPClientResponse, token: String?) {
        var request = HTTPClientRequest(url: url(path, query: query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kgate")
        if let hostHeader { request.headers.add(name: "Host", value: hostHeader) }
        for (name, value) in identityHeaders { request.headers.add(name: name, value: value) }
        let token = try await tokens.token()
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: JSONEmitter.document(body)))
        }
        do {
            return (try await http.execute(request, timeout: deadline), token)
        } catch {
            throw unreachable(error)
        }
    }

    func url(_ path: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return base + path }
        return base + path + "?"
            + query.map { "\($0.0)=\($0.1.addingPercentEncodingForPath())" }.joined(separator: "&")
    }

    private func unreachable(_ error: any Error) -> StoreError {
        .unavailable(
            reason: "cannot reach the API server \(ServerAddress.redacted(connection.server)): "
                + "\(ConnectionFailure.describe(error, server: connection.server))\(Self.tlsHint(error))")
    }

    /// BoringSSL's error codes are terse; say which kubeconfig setting each one points at.
    static func tlsHint(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "; the server's TLS certificate could not be verified: set the cluster's certificate-authority(-data) to the CA that signed it (insecure-skip-tls-verify only for a test cluster)"
        }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") {
            return "; the server refused the TLS handshake, as it does when it requires a client certificate: set the user's client-certificate(-data) and client-key(-data)"
        }
        return ""
    }
}

import Foundation
import GatewayStore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small Kubernetes API server for the tests: SwiftNIO's HTTP/1 server on 127.0.0.1 at
/// an ephemeral port, answering from a `TestCluster`.
///
/// It speaks plain HTTP unless started with a `TLS` option: then HTTPS with a certificate
/// from `TestCertificates`, and, when asked, a demand for a client certificate signed by
/// the test CA, which then stands for a user instead of the bearer token.
final class TestAPIServer: Sendable {
    /// How the server speaks TLS.
    struct TLS: Sendable {
        var certificates: TestCertificates
        /// The handshake fails without a client certificate that the test CA signed.
        var requireClientCertificate = false
    }

    let cluster: TestCluster
    let url: String
    /// The kubeconfig cluster line that trusts this server (`certificate-authority-data`),
    /// none over plain HTTP.
    let authority: [String]
    private let channel: any Channel

    private init(cluster: TestCluster, channel: any Channel, url: String, authority: [String]) {
        self.cluster = cluster
        self.channel = channel
        self.url = url
        self.authority = authority
    }

    static func start(_ cluster: TestCluster = TestCluster(), tls: TLS? = nil) async throws -> TestAPIServer {
        let router = TestRouter(cluster: cluster)
        let ssl = try tls.map(Self.context)
        // Which user each accepted client certificate stands for; the CA's signature is
        // checked in the handshake, this only tells one certificate from another.
        let clientCertificates = try tls.map { try NIOSSLCertificate.fromPEMFile($0.certificates.clientCertificatePath) }
            ?? []
        let clientUsers = Dictionary(clientCertificates.map { ($0, TestCertificates.clientUser) }) { first, _ in first }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let ssl { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: ssl)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(router: router, clientUsers: clientUsers))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw TestCluster.SeedError(message: "no port bound") }
        let authority = try tls.map { ["certificate-authority-data: " + (try $0.certificates.contents($0.certificates.caPath)).base64EncodedString()] }
        return TestAPIServer(
            cluster: cluster, channel: channel, url: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)", authority: authority ?? [])
    }

    private static func context(_ tls: TLS) throws -> NIOSSLContext {
        let certificates = tls.certificates
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.serverCertificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKeyPath, format: .pem)))
        if tls.requireClientCertificate {
            // A server never checks a client's host name; the CA alone decides, and with
            // verification on, BoringSSL fails a handshake that brings no certificate.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.caPath))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    func stop() async {
        try? await channel.close()
    }

    /// A kubeconfig file (in a fresh temporary folder) that points at this server.
    /// `cluster` and `user` are extra `key: value` lines for those entries (TLS settings).
    func kubeconfig(token: String? = nil, cluster: [String] = [], user: [String] = []) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgate-kube-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let userLines = (token.map { ["token: \($0)"] } ?? []) + user
        let user = userLines.isEmpty ? "    {}\n" : userLines.map { "    \($0)\n" }.joined()
        let clusterLines = cluster.map { "\n    \($0)" }.joined()
        let text = """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster:
                server: \(url)\(clusterLines)
            users:
            - name: tester
              user:
            \(user)contexts:
            - name: test
              context:
                cluster: test
                user: tester
                namespace: demo

            """
        let path = "\(folder)/config"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Collects one request (head, body, end), answers it; a watch stays open and gets one
/// JSON line an event until the client goes away.
private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: TestRouter
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var watcherID: Int?
    private let clientUsers: [NIOSSLCertificate: String]

    init(router: TestRouter, clientUsers: [NIOSSLCertificate: String]) {
        self.router = router
        self.clientUsers = clientUsers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            guard let head else { return }
            respond(context: context, head: head)
            self.head = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let watcherID { router.cluster.removeWatcher(watcherID) }
        watcherID = nil
        context.fireChannelInactive()
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let (path, query) = Self.split(head.uri)
        let request = TestRequest(
            method: head.method.rawValue, path: path, query: query, authorization: head.headers["Authorization"].first,
            body: body, user: certificateUser(context: context), headers: head.headers.map { ($0.name, $0.value) })
        router.cluster.record(request)
        switch router.handle(request) {
        case .json(let status, let text):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .watch(let watch):
            startWatch(context: context, head: head, watch: watch)
        }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, watch: TestWatch) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        context.writeAndFlush(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        let channel = context.channel
        let send: @Sendable (String) -> Void = { line in
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: line))), promise: nil)
        }
        // The response ends and the connection stays for the next request, as when an API
        // server's watch timeout runs out. (Closing the connection too raced a client that
        // had already sent its next watch on it: that watch was dropped with the old one.)
        let close: @Sendable () -> Void = {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        }
        // A half-open connection, as after a network partition: the headers, then silence.
        if router.cluster.silentWatches { return }
        guard let id = router.cluster.addWatcher(watch, send: send, close: close) else {
            // Too old: one ERROR event carrying a 410 Status, then the stream ends.
            let status = TestStatus.gone(watch.fromRevision ?? 0)
            let event = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"\(status.message)\",\"reason\":\"Expired\",\"code\":410}}\n"
            send(event)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        watcherID = id
        if let seconds = watch.timeoutSeconds {
            // The watch's time is up: its response ends, the connection stays for the next request.
            let cluster = router.cluster
            context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                cluster.removeWatcher(id)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
            }
        }
    }

    /// The user the verified client certificate stands for, or nil over plain HTTP or
    /// without one.
    private func certificateUser(context: ChannelHandlerContext) -> String? {
        guard !clientUsers.isEmpty, let certificate = try? context.pipeline.syncOperations.nioSSL_peerCertificate() else {
            return nil
        }
        return clientUsers[certificate]
    }

    private static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0].removingPercentEncoding ?? parts[0]
            query[key] = parts.count == 2 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return (String(uri[..<mark]), query)
    }
}

import GatewayKit
import NIOCore
import NIOHTTP1
import NIOPosix

/// A one-request-a-connection HTTP/1.1 client for plain-HTTP loopback servers: what the
/// tests of the test API server use to speak to it as any client would, headers and all.
struct TestHTTPClient: Sendable {
    /// `http://127.0.0.1:<port>`.
    let url: String

    struct Response: Sendable {
        var status: Int
        var body: String
        var json: ManifestValue { (try? JSONReader.read(body)) ?? .null }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func send(
        _ method: String, _ path: String, body: String? = nil, contentType: String = "application/json"
    ) async throws -> Response {
        guard url.hasPrefix("http://"), let mark = url.lastIndex(of: ":"), let port = Int(url[url.index(after: mark)...]) else {
            throw Failure(description: "not a plain-HTTP URL with a port: \(url)")
        }
        let host = String(url.dropFirst("http://".count).prefix { $0 != ":" })
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Response.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
            .connect(host: host, port: port).get()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "User-Agent", value: "test-http-client/1.0")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "Connection", value: "close")
        let bytes = body.map { ByteBuffer(string: $0) }
        if bytes != nil { headers.add(name: "Content-Type", value: contentType) }
        headers.add(name: "Content-Length", value: String(bytes?.readableBytes ?? 0))
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let bytes { channel.write(HTTPClientRequestPart.body(.byteBuffer(bytes)), promise: nil) }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }

    func get(_ path: String) async throws -> Response { try await send("GET", path) }

    func patch(_ path: String, _ body: String, type: TestPatch.Kind) async throws -> Response {
        try await send("PATCH", path, body: body, contentType: type.rawValue)
    }
}

/// Gathers one response; a connection that closes before its end fails it.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<TestHTTPClient.Response>
    private var status = 0
    private var body = ""
    private var done = false

    init(promise: EventLoopPromise<TestHTTPClient.Response>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(var buffer): body += buffer.readString(length: buffer.readableBytes) ?? ""
        case .end:
            guard !done else { return }
            done = true
            promise.succeed(TestHTTPClient.Response(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(TestHTTPClient.Failure(description: "the connection closed before the response ended"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }
}

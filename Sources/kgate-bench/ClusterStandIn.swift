import Foundation
import GatewayKit
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in for a Kubernetes API server, for the cluster backend's figures: SwiftNIO's
/// HTTP/1 server on loopback (plain HTTP, no credentials), answering from canned objects.
/// It serves what `KubernetesStore.load()` asks for and nothing more: discovery of the
/// groups kgate looks for, each kind's list in pages (`limit` and `continue`, items
/// without apiVersion and kind, as the API server writes them), 404 for the rest (the
/// settings ConfigMap, the Eip group), and a watch that stays open and idle.
///
/// The tests' `TestAPIServer` is the full one (writes, RBAC, watch events); the bench
/// cannot import a test target, and needs only this much.
final class ClusterStandIn: Sendable {
    let url: String
    private let channel: any Channel
    private let watches: OpenWatches

    private init(url: String, channel: any Channel, watches: OpenWatches) {
        self.url = url
        self.channel = channel
        self.watches = watches
    }

    /// Serves `objects` on 127.0.0.1 at a free port.
    static func start(objects: [KubeObject]) async throws -> ClusterStandIn {
        let answers = CannedAnswers(objects: objects)
        let watches = OpenWatches()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StandInHandler(answers: answers, watches: watches))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw BenchError("the API stand-in bound no port") }
        return ClusterStandIn(url: "http://127.0.0.1:\(port)", channel: channel, watches: watches)
    }

    /// How many watches of `path` are open.
    func watchers(of path: String) -> Int { watches.count(path) }

    /// Sends one watch event (`ADDED`, `MODIFIED`, `DELETED`) of `object` to every open
    /// watch of `path`, as the API server does after a write.
    func send(_ type: String, _ object: KubeObject, to path: String) {
        let event = ManifestValue.map([ManifestField("type", .string(type)), ManifestField("object", ManifestValue(object))])
        watches.send(compactJSON(event) + [UInt8(ascii: "\n")], to: path)
    }

    func stop() async {
        try? await channel.close()
    }

    /// A kubeconfig in `folder` whose only context points at this server.
    func kubeconfig(in folder: String) throws -> String {
        let path = "\(folder)/kubeconfig"
        let text = """
            apiVersion: v1
            kind: Config
            current-context: bench
            clusters:
            - name: bench
              cluster:
                server: \(url)
            users:
            - name: bench
              user: {}
            contexts:
            - name: bench
              context:
                cluster: bench
                user: bench

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Every answer the stand-in gives, made once: each collection's items already as JSON.
private struct CannedAnswers: Sendable {
    /// One listable collection: its path, list kind and group version, and items.
    struct Collection: Sendable {
        var kind: String
        var groupVersion: String
        var items: [[UInt8]]
    }

    var collections: [String: Collection] = [:]
    /// Discovery documents by path.
    var discovery: [String: [UInt8]] = [:]
    let revision = "1000"

    init(objects: [KubeObject]) {
        let kinds: [(path: String, kind: String, groupVersion: String, plural: String)] = [
            ("/api/v1/namespaces", "Namespace", "v1", "namespaces"),
            ("/api/v1/nodes", "Node", "v1", "nodes"),
            ("/api/v1/services", "Service", "v1", "services"),
            ("/api/v1/secrets", "Secret", "v1", "secrets"),
            ("/apis/discovery.k8s.io/v1/endpointslices", "EndpointSlice", "discovery.k8s.io/v1", "endpointslices"),
            ("/apis/networking.k8s.io/v1/ingresses", "Ingress", "networking.k8s.io/v1", "ingresses"),
            ("/apis/gateway.kubesphere.io/v1alpha1/gateways", "Gateway", "gateway.kubesphere.io/v1alpha1", "gateways"),
        ]
        for entry in kinds {
            collections[entry.path] = Collection(kind: entry.kind + "List", groupVersion: entry.groupVersion, items: [])
            if entry.groupVersion != "v1" {
                let resource = ManifestValue.map([
                    ManifestField("name", .string(entry.plural)), ManifestField("namespaced", .bool(true)),
                    ManifestField("kind", .string(entry.kind)),
                    ManifestField("verbs", .list(["get", "list", "watch"].map(ManifestValue.string))),
                ])
                let document = ManifestValue.map([
                    ManifestField("kind", .string("APIResourceList")), ManifestField("groupVersion", .string(entry.groupVersion)),
                    ManifestField("resources", .list([resource])),
                ])
                discovery["/apis/" + entry.groupVersion] = Array(JSONEmitter.document(document).utf8)
            }
        }
        let pathOfKind = Dictionary(uniqueKeysWithValues: kinds.map { ($0.kind, $0.path) })
        for object in objects {
            let value = ManifestValue(object)
            guard case .map(let fields) = value, case .string(let kind)? = value["kind"], let path = pathOfKind[kind] else {
                continue
            }
            // Items of a list carry no apiVersion and kind: the list does.
            let bare = ManifestValue.map(fields.filter { $0.key != "apiVersion" && $0.key != "kind" })
            collections[path]?.items.append(compactJSON(bare))
        }
    }

    enum Answer {
        case json(status: Int, body: [UInt8])
        case idleWatch
    }

    func answer(path: String, query: [String: String]) -> Answer {
        if let document = discovery[path] { return .json(status: 200, body: document) }
        guard let collection = collections[path] else {
            let status = #"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}"#
            return .json(status: 404, body: Array(status.utf8))
        }
        if query["watch"] == "1" || query["watch"] == "true" { return .idleWatch }
        let offset = min(collection.items.count, query["continue"].flatMap { Int($0) } ?? 0)
        let limit = query["limit"].flatMap { Int($0) }.map { max(1, $0) } ?? collection.items.count
        let end = min(collection.items.count, offset + limit)
        var body = Array(#"{"kind":"\#(collection.kind)","apiVersion":"\#(collection.groupVersion)","metadata":{"resourceVersion":"\#(revision)""#.utf8)
        if end < collection.items.count { body += Array(#","continue":"\#(end)""#.utf8) }
        body += Array(#"},"items":["#.utf8)
        for index in offset..<end {
            if index > offset { body.append(UInt8(ascii: ",")) }
            body += collection.items[index]
        }
        body += Array("]}".utf8)
        return .json(status: 200, body: body)
    }
}

/// One request at a time per connection: answered whole, or a watch left open.
private final class StandInHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answers: CannedAnswers
    private let watches: OpenWatches
    private var head: HTTPRequestHead?

    init(answers: CannedAnswers, watches: OpenWatches) {
        self.answers = answers
        self.watches = watches
    }

    func channelInactive(context: ChannelHandlerContext) {
        watches.remove(ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead): head = requestHead
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context: context, head: head)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let (path, query) = Self.split(head.uri)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        switch answers.answer(path: path, query: query) {
        case .json(let status, let body):
            headers.add(name: "Content-Length", value: String(body.count))
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .idleWatch:
            headers.add(name: "Transfer-Encoding", value: "chunked")
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
            watches.add(context.channel, path: path)
        }
    }

    private static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            query[parts[0].removingPercentEncoding ?? parts[0]] = parts.count == 2 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return (String(uri[..<mark]), query)
    }
}

/// The watches open on the stand-in, by path, to send events down.
private final class OpenWatches: @unchecked Sendable {
    private let lock = NSLock()
    private var channels: [ObjectIdentifier: (path: String, channel: any Channel)] = [:]

    func add(_ channel: any Channel, path: String) { lock.withLock { channels[ObjectIdentifier(channel)] = (path, channel) } }

    func remove(_ id: ObjectIdentifier) { _ = lock.withLock { channels.removeValue(forKey: id) } }

    func count(_ path: String) -> Int { lock.withLock { channels.values.count { $0.path == path } } }

    func send(_ line: [UInt8], to path: String) {
        let open = lock.withLock { channels.values.filter { $0.path == path }.map(\.channel) }
        for channel in open {
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: line))), promise: nil)
        }
    }
}

/// `value` as JSON on one line, as the API server writes it (JSONEmitter indents, as
/// kubectl prints): whitespace outside strings left out.
func compactJSON(_ value: ManifestValue) -> [UInt8] {
    var out: [UInt8] = []
    var inString = false
    var escaped = false
    for byte in JSONEmitter.document(value).utf8 {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
        } else if byte == UInt8(ascii: "\"") {
            inString = true
        } else if byte == 0x20 || byte == 0x0A {
            continue
        }
        out.append(byte)
    }
    return out
}

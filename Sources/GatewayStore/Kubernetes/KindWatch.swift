import AsyncHTTPClient
import GatewayKit

/// One watch request of one kind (`?watch=1&resourceVersion=…&timeoutSeconds=…`, one JSON
/// event a line), its events applied to the cache as they come, until the stream ends.
struct KindWatch: Sendable {
    let client: APIClient
    let cache: ClusterCache
    let kind: ClusterReader.Listed
    let policy: WatchPolicy

    enum Outcome: Equatable {
        /// The server ended the watch (its timeout ran out): resume from `lastVersion`.
        case closed(lastVersion: String)
        /// The version is too old (410 Gone): list again.
        case gone
        /// The server refused the watch (401, 403, …), with its reason.
        case refused(String)
        /// The connection failed or fell silent past the read timeout (half-open).
        case interrupted(String, lastVersion: String)
    }

    /// `clearsOnOpen`: the last watch was refused, so an accepted one shows the refusal lifted.
    func run(from version: String, clearsOnOpen: Bool, changed: @Sendable () -> Void) async -> Outcome {
        let parameters = kind.query + [
            ("watch", "1"), ("resourceVersion", version), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", String(Int.random(in: policy.watchSeconds))),
        ]
        let request = APIStatus.Request(verb: "watch", resource: kind.resource.qualifiedName, namespace: kind.namespace, object: kind.resource.qualifiedName)
        let response: HTTPClientResponse
        do {
            response = try await client.openStream(kind.resource.path(namespace: kind.namespace), query: parameters)
        } catch {
            return .interrupted("\(error)", lastVersion: version)
        }
        let code = Int(response.status.code)
        if code == 410 { return .gone }
        guard code == 200 else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            return .refused("\(APIStatus(code: code, body: body).error(for: request))")
        }
        if clearsOnOpen, cache.report(kind.resource, nil) { changed() }
        var last = version
        var heard = false
        var pending: [UInt8] = []
        do {
            for try await chunk in response.body {
                // Data, even a bookmark, shows the connection alive; an open alone does not.
                if !heard, cache.report(kind.resource, nil) { changed() }
                heard = true
                pending += chunk.readableBytesView
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    guard let event = try? JSONReader.read(line), case .string(let type)? = event["type"],
                        let object = event["object"]
                    else { continue }
                    if type == "ERROR" {
                        // A Status object: 410 when the version was compacted, else a refusal.
                        var errorCode = 500
                        if case .int(let value)? = object["code"] { errorCode = value }
                        if errorCode == 410 { return .gone }
                        return .refused("\(APIStatus(code: errorCode, body: Array(JSONEmitter.document(object).utf8)).error(for: request))")
                    }
                    if let seen = ObjectCodec.resourceVersion(object) { last = seen }
                    if type != "BOOKMARK" {
                        cache.apply(kind.resource, type: type, object: client.modelShape(object, of: kind.resource))
                        changed()
                    }
                }
            }
        } catch {
            return .interrupted("the watch connection broke or fell silent (\(error))", lastVersion: last)
        }
        return .closed(lastVersion: last)
    }
}

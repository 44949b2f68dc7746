import AsyncHTTPClient
import GatewayKit
import NIOCore

/// Follows a cluster's changes for `KubernetesStore.changes()`: one watch per listed kind
/// (`?watch=1&resourceVersion=…`, one JSON event a line), each resumed from the last
/// version it saw when the server closes it, and listed afresh when the server says that
/// version is gone (410, or an `ERROR` event with code 410). Any event but a bookmark
/// fires the stream; so does a relist, since events may have been missed.
struct ClusterWatcher: Sendable {
    let reader: ClusterReader

    /// Runs until cancelled, calling `changed` for every change.
    func run(changed: @escaping @Sendable () -> Void) async {
        var discovery: ClusterReader.Discovery?
        while !Task.isCancelled, discovery == nil {
            discovery = try? await reader.discover()
            if discovery == nil { try? await Task.sleep(for: .seconds(2)) }
        }
        guard let discovery else { return }
        let settings = (try? await reader.readSettings()) ?? WorkspaceSettings()
        let kinds = ClusterReader.listed(discovery, settings: settings)
        await withTaskGroup(of: Void.self) { group in
            for (resource, namespace, query) in kinds {
                group.addTask {
                    await follow(resource, namespace: namespace, query: query, changed: changed)
                }
            }
        }
    }

    private func follow(
        _ resource: APIResource, namespace: String, query: [(String, String)], changed: @escaping @Sendable () -> Void
    ) async {
        var version: String?
        var listedBefore = false
        var failures = 0
        while !Task.isCancelled {
            if version == nil {
                version = try? await collectionVersion(resource, namespace: namespace, query: query)
                if version == nil {
                    failures += 1
                    try? await Task.sleep(for: .milliseconds(min(5000, 200 * failures)))
                    continue
                }
                // The first list only gives the version to watch from; a relist means
                // events may have been missed.
                if listedBefore { changed() }
                listedBefore = true
            }
            switch await watch(resource, namespace: namespace, query: query, from: version ?? "", changed: changed) {
            case .closed(let last):
                version = last
                failures = 0
            case .gone:
                version = nil
            case .failed:
                failures += 1
                try? await Task.sleep(for: .milliseconds(min(5000, 200 * failures)))
            }
        }
    }

    private enum Outcome {
        case closed(lastVersion: String)
        case gone
        case failed
    }

    private func collectionVersion(_ resource: APIResource, namespace: String, query: [(String, String)]) async throws(StoreError)
        -> String?
    {
        let request = APIStatus.Request(verb: "list", resource: resource.qualifiedName, namespace: namespace, object: resource.qualifiedName)
        let page = try await reader.client.send(
            .GET, resource.path(namespace: namespace), query: query + [("limit", "1")], about: request)
        return ObjectCodec.resourceVersion(page)
    }

    private func watch(
        _ resource: APIResource, namespace: String, query: [(String, String)], from version: String,
        changed: @escaping @Sendable () -> Void
    ) async -> Outcome {
        let parameters = query + [("watch", "1"), ("resourceVersion", version), ("allowWatchBookmarks", "true")]
        let response: HTTPClientResponse
        do {
            response = try await reader.client.openStream(resource.path(namespace: namespace), query: parameters)
        } catch {
            return .failed
        }
        if response.status.code == 410 { return .gone }
        guard response.status.code == 200 else { return .failed }
        var last = version
        var pending: [UInt8] = []
        do {
            for try await chunk in response.body {
                pending += chunk.readableBytesView
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    guard let event = try? JSONReader.read(line) else { continue }
                    guard case .string(let type)? = event["type"] else { continue }
                    if type == "ERROR" {
                        if case .int(410)? = event["object"]?["code"] { return .gone }
                        return .failed
                    }
                    if let seen = ObjectCodec.resourceVersion(event["object"]) { last = seen }
                    if type != "BOOKMARK" { changed() }
                }
            }
        } catch {
            return last == version ? .failed : .closed(lastVersion: last)
        }
        return .closed(lastVersion: last)
    }
}

import GatewayKit
import NIOHTTP1

/// Single-object writes against the API: get, create, replace (PUT with the
/// resourceVersion, so that a stale one is the server's 409) and delete.
struct ClusterWriter: Sendable {
    let client: APIClient
    /// The watches' view: each write's answer goes in at once, so that the next `load()`
    /// shows it even before the watch event arrives.
    var cache: ClusterCache?

    /// The stored object's tree, or nil when there is none.
    func get(_ resource: APIResource, namespace: String, name: String) async throws(StoreError) -> ManifestValue? {
        let reference = Self.reference(resource, namespace, name)
        do {
            return try await client.send(
                .GET, resource.path(namespace: namespace, name: name),
                about: request("get", resource, namespace, reference))
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }

    func create(_ resource: APIResource, _ body: ManifestValue, namespace: String, name: String) async throws(StoreError)
        -> ManifestValue
    {
        var body = body
        body.remove(path: ["metadata", "resourceVersion"])
        let reference = Self.reference(resource, namespace, name)
        do {
            return recorded(resource, try await client.send(
                .POST, resource.path(namespace: namespace), body: body,
                about: request("create", resource, namespace, reference)))
        } catch {
            // Creating into a missing namespace is a 404 about the namespace, not the object.
            if case .notFound = error, resource.namespaced, !namespace.isEmpty,
                try await get(.namespaces, namespace: "", name: namespace) == nil
            {
                throw .notFound(object: "Namespace \(namespace)")
            }
            throw error
        }
    }

    /// PUT `body` over the stored object; `body` carries the resourceVersion it was read at.
    func replace(_ resource: APIResource, _ body: ManifestValue, namespace: String, name: String) async throws(StoreError)
        -> ManifestValue
    {
        recorded(resource, try await client.send(
            .PUT, resource.path(namespace: namespace, name: name), body: body,
            about: request("update", resource, namespace, Self.reference(resource, namespace, name))))
    }

    /// Creates `body`, or replaces the stored object with it at the stored version.
    func upsert(_ resource: APIResource, _ body: ManifestValue, namespace: String, name: String) async throws(StoreError)
        -> ManifestValue
    {
        guard let stored = try await get(resource, namespace: namespace, name: name) else {
            return try await create(resource, body, namespace: namespace, name: name)
        }
        var body = body
        if let version = ObjectCodec.resourceVersion(stored) {
            body.set(path: ["metadata", "resourceVersion"], .string(version))
        }
        return try await replace(resource, body, namespace: namespace, name: name)
    }

    func delete(_ resource: APIResource, namespace: String, name: String) async throws(StoreError) {
        _ = try await client.send(
            .DELETE, resource.path(namespace: namespace, name: name),
            about: request("delete", resource, namespace, Self.reference(resource, namespace, name)))
        var gone = ManifestValue.map([ManifestField("metadata", .map([ManifestField("name", .string(name))]))])
        if resource.namespaced { gone.set(path: ["metadata", "namespace"], .string(namespace)) }
        cache?.apply(resource, type: "DELETED", object: gone)
    }

    private func recorded(_ resource: APIResource, _ stored: ManifestValue) -> ManifestValue {
        if resource == .configMaps { cache?.forgetPlan() }
        cache?.apply(resource, type: "MODIFIED", object: stored)
        return stored
    }

    /// Deletes the object if it is there; says whether it was.
    func deleteIfPresent(_ resource: APIResource, namespace: String, name: String) async throws(StoreError) -> Bool {
        do {
            try await delete(resource, namespace: namespace, name: name)
            return true
        } catch {
            if case .notFound = error { return false }
            throw error
        }
    }

    static func reference(_ resource: APIResource, _ namespace: String, _ name: String) -> String {
        namespace.isEmpty ? "\(resource.kind) \(name)" : "\(resource.kind) \(namespace)/\(name)"
    }

    private func request(_ verb: String, _ resource: APIResource, _ namespace: String, _ reference: String) -> APIStatus.Request {
        APIStatus.Request(verb: verb, resource: resource.qualifiedName, namespace: namespace, object: reference)
    }
}

import GatewayKit
import NIOHTTP1

/// Single-object writes against the API: get, create, patch and delete. An object that
/// exists is only ever patched (a JSON merge patch with the resourceVersion as
/// precondition, so that a stale one is the server's 409), never replaced by a PUT of
/// kgate's rendering: fields kgate does not model stay as the server holds them.
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

    /// Applies a JSON merge patch (see `MergePatch`) to the stored object. With
    /// `resourceVersion`, the patch carries it as a precondition: the server refuses it
    /// (409) when the object changed since that version was read.
    func patch(
        _ resource: APIResource, _ patch: ManifestValue, resourceVersion: String?, namespace: String, name: String
    ) async throws(StoreError) -> ManifestValue {
        var body = patch
        if case .map = body {} else { body = .map([]) }
        if let resourceVersion { body.set(path: ["metadata", "resourceVersion"], .string(resourceVersion)) }
        return recorded(resource, try await client.send(
            .PATCH, resource.path(namespace: namespace, name: name), body: body, contentType: "application/merge-patch+json",
            about: request("patch", resource, namespace, Self.reference(resource, namespace, name))))
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

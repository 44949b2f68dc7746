/// A Gateway API object (`gateway.networking.k8s.io`) as a workspace stores it: applied
/// with `kgate apply -f`, checked by `GatewayAPIValidator`, kept whole (every field,
/// modelled or not), so that a workspace can hold Ingresses and their HTTPRoutes side by
/// side during a migration. `StoredGatewayAPI` reads the parts that serving needs.
public struct GatewayAPIObject: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case gateway = "Gateway"
        case httpRoute = "HTTPRoute"
        case referenceGrant = "ReferenceGrant"
    }

    public var kind: Kind
    /// Name, namespace, labels and resourceVersion, read from the manifest; the store
    /// sets `resourceVersion`, rendering writes it over the manifest's.
    public var metadata: ObjectMeta
    /// The manifest as applied, without `metadata.resourceVersion` (the model's wins).
    public var manifest: ManifestValue

    public init(kind: Kind, metadata: ObjectMeta, manifest: ManifestValue) {
        self.kind = kind
        self.metadata = metadata
        self.manifest = GatewayAPIObject.withoutResourceVersion(manifest)
    }

    /// The manifest with the model's `metadata.resourceVersion`.
    public var rendered: ManifestValue {
        guard case .map(var fields) = manifest else { return manifest }
        guard let index = fields.firstIndex(where: { $0.key == "metadata" }), case .map(var meta) = fields[index].value else {
            return manifest
        }
        meta.removeAll { $0.key == "resourceVersion" }
        if let version = metadata.resourceVersion {
            let at = meta.firstIndex { !["name", "generateName", "namespace", "labels", "annotations"].contains($0.key) } ?? meta.count
            meta.insert(ManifestField("resourceVersion", .string(version)), at: at)
        }
        fields[index] = ManifestField("metadata", .map(meta))
        return .map(fields)
    }

    private static func withoutResourceVersion(_ manifest: ManifestValue) -> ManifestValue {
        guard case .map(var fields) = manifest,
            let index = fields.firstIndex(where: { $0.key == "metadata" }), case .map(var meta) = fields[index].value
        else { return manifest }
        meta.removeAll { $0.key == "resourceVersion" }
        fields[index] = ManifestField("metadata", .map(meta))
        return .map(fields)
    }

    /// `HTTPRoute demo/web`; a Gateway API Gateway is named with its group, apart from
    /// KubeSphere's gateways.
    public var reference: String {
        let kindName = kind == .gateway ? "Gateway.\(GatewayAPI.group)" : kind.rawValue
        return "\(kindName) \(metadata.namespace)/\(metadata.name)"
    }

    /// Where a store keeps it apart from other kinds: a Gateway API Gateway and
    /// KubeSphere's gateway may share a namespace and a name.
    public var storageKind: String { kind == .gateway ? "GatewayAPIGateway" : kind.rawValue }

    /// The apiVersions each kind is accepted in.
    public static func apiVersions(_ kind: Kind) -> [String] {
        kind == .referenceGrant
            ? [GatewayAPI.referenceGrantAPIVersion, GatewayAPI.apiVersion]
            : [GatewayAPI.apiVersion, GatewayAPI.group + "/v1beta1"]
    }
}

extension Inventory {
    /// The stored Gateway API objects in `namespace`.
    public func gatewayAPIObjects(namespace: String) -> [GatewayAPIObject] {
        gatewayAPI.filter { $0.metadata.namespace == namespace }
    }

    /// The stored HTTPRoutes of `project`, read for serving, oldest first (creation time,
    /// then name), as the API orders routes for precedence.
    public func httpRoutes(project: String) -> [StoredHTTPRoute] {
        gatewayAPI.filter { $0.kind == .httpRoute && $0.metadata.namespace == project }
            .sorted { a, b in
                let ta = a.metadata.creationTimestamp ?? "~"
                let tb = b.metadata.creationTimestamp ?? "~"
                return ta != tb ? ta < tb : a.metadata.name < b.metadata.name
            }
            .map(StoredHTTPRoute.init)
    }

    /// The stored Gateway API Gateway `namespace/name`, read for attachment.
    public func apiGateway(namespace: String, name: String) -> StoredGateway? {
        gatewayAPI.first { $0.kind == .gateway && $0.metadata.namespace == namespace && $0.metadata.name == name }
            .map(StoredGateway.init)
    }
}

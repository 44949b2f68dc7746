/// An object's manifest as it was read, kept beside its typed fields, so that a save keeps
/// what kgate does not model: finalizers, ownerReferences, other labels and annotations,
/// unknown spec and metadata fields (issue 7 item 12). Rendering lays the typed fields
/// over it (`ManifestMerge`).
///
/// It is equal to every other: two routes are the same route when what kgate models is
/// the same, so that comparing models (round trips, "is this form changed?") stays about
/// the fields kgate shows. A store that must know whether anything at all changed
/// compares rendered manifests.
public struct StoredManifest: Hashable, Sendable {
    public var value: ManifestValue?

    public init(_ value: ManifestValue? = nil) { self.value = value }

    /// What of `manifest` a `kind`'s model does not hold; nil when that is nothing (every
    /// file kgate wrote itself), so that a workspace of plain files costs no memory here.
    public init(unmodeledOf manifest: ManifestValue?, kind: String) {
        let rest = manifest.map { ManifestMerge.unmodeled($0, kind: kind) }
        value = rest == .map([]) ? nil : rest
    }

    public static func == (_: StoredManifest, _: StoredManifest) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

extension KubeObject {
    /// The object with its stored manifest dropped: only what kgate models, for a
    /// comparison that must not see what a server added (uid, managedFields, status).
    public var modeledOnly: KubeObject {
        switch self {
        case .route(var route):
            route.stored = StoredManifest()
            return .route(route)
        case .service(var service):
            service.stored = StoredManifest()
            return .service(service)
        case .gateway(var gateway):
            gateway.stored = StoredManifest()
            gateway.storedService = StoredManifest()
            return .gateway(gateway)
        default:
            return self
        }
    }
}

/// A KubeSphere project: a Kubernetes Namespace.
public struct Project: Hashable, Sendable {
    public var metadata: ObjectMeta

    public init(metadata: ObjectMeta) { self.metadata = metadata }
    public init(name: String, alias: String? = nil) {
        self.metadata = ObjectMeta(name: name)
        self.alias = alias
    }

    public var name: String { metadata.name }

    /// The console's display name (annotation `kubesphere.io/alias-name`).
    public var alias: String? {
        get { metadata.annotations[KubeSphereAnnotation.alias] }
        set { metadata.annotations[KubeSphereAnnotation.alias] = newValue }
    }
}

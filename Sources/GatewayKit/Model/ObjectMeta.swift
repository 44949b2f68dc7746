/// The part of `metadata` that kgate reads and writes, for every kind of object.
public struct ObjectMeta: Hashable, Sendable {
    public var name: String
    /// Empty for cluster-scoped objects (Namespace, Node, Eip).
    public var namespace: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Opaque version of the stored object; nil for an object not stored yet.
    public var resourceVersion: String?
    public var creationTimestamp: String?

    public init(
        name: String, namespace: String = "", labels: [String: String] = [:],
        annotations: [String: String] = [:], resourceVersion: String? = nil,
        creationTimestamp: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.resourceVersion = resourceVersion
        self.creationTimestamp = creationTimestamp
    }
}

/// Annotation keys the KubeSphere console writes and kgate keeps compatible.
public enum KubeSphereAnnotation {
    public static let alias = "kubesphere.io/alias-name"
    public static let description = "kubesphere.io/description"
    public static let creator = "kubesphere.io/creator"
    public static let governance = "servicemesh.kubesphere.io/enabled"
    public static let serviceUpstream = "nginx.ingress.kubernetes.io/service-upstream"
    /// Marks a host that kgate generated (`<service>.<project>.<address>.<base>`).
    public static let autoHost = "kgate.io/auto-host"
}

/// Kubernetes' own validation rules, KubeSphere's, and kgate's safety rules, one entry
/// point a kind. Every function returns every error it finds, each with its field path,
/// so a form can place them beside their fields. Create and edit take the same path.
public enum Validate {
    /// An Ingress: `metadata.name`, `spec.rules[i].host`, `spec.rules[i].http.paths[j].path`,
    /// `…pathType`, `…backend.service.name`, `…backend.service.port.number|name`,
    /// `spec.tls[i].hosts[j]`, `spec.tls[i].secretName`, `metadata.annotations`, `metadata.labels`.
    public static func route(_ route: Route) -> [FieldError] { [] }

    /// A gateway as it would be stored (type, ports, annotations, replicas, config).
    public static func gateway(_ gateway: Gateway, nodePortRange: ClosedRange<Int>) -> [FieldError] { [] }

    /// Any object kgate stores.
    public static func object(_ object: KubeObject, settings: WorkspaceSettings) -> [FieldError] { [] }
}

/// Renders objects as Kubernetes manifests, deterministic to the byte.
public enum ManifestRenderer {
    /// Multi-document YAML, documents separated by `---`.
    public static func yaml(_ objects: [KubeObject]) -> String { "" }

    /// One object as JSON; several as a `v1` `List`.
    public static func json(_ objects: [KubeObject]) -> String { "" }

    /// The objects a gateway is stored as: Gateway + Service (CRD flavour), or Service +
    /// Deployment (legacy router).
    public static func gatewayObjects(_ gateway: Gateway, flavor: GatewayFlavor) -> [KubeObject] { [] }
}

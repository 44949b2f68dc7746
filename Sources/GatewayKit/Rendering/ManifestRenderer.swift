/// Renders objects as Kubernetes manifests, deterministic to the byte: the same model
/// always gives the same text, whatever the order of its dictionaries.
public enum ManifestRenderer {
    /// Multi-document YAML, documents separated by `---`.
    public static func yaml(_ objects: [KubeObject]) -> String {
        YAMLEmitter.documents(objects.map(ManifestValue.init))
    }

    /// One object as JSON; several (or none) as a `v1` `List`.
    public static func json(_ objects: [KubeObject]) -> String {
        JSONEmitter.document(tree(objects))
    }

    /// What `json` writes, as a tree: the object, or a `v1` `List` of them.
    public static func tree(_ objects: [KubeObject]) -> ManifestValue {
        if objects.count == 1, let object = objects.first { return ManifestValue(object) }
        return .map([
            .init("apiVersion", .string("v1")), .init("kind", .string("List")),
            .init("items", .list(objects.map(ManifestValue.init))),
        ])
    }

    /// The objects a gateway is stored as: Gateway + Service (CRD flavour), or Service +
    /// Deployment (legacy router).
    public static func gatewayObjects(_ gateway: Gateway, flavor: GatewayFlavor) -> [KubeObject] {
        let service = KubeObject.service(GatewayObjects.service(gateway, flavor: flavor))
        switch flavor {
        case .gatewayCRD: return [.gateway(gateway), service]
        case .legacyRouter: return [service, .routerDeployment(GatewayObjects.deployment(gateway))]
        }
    }
}

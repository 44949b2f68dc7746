/// Kubernetes' own validation rules, KubeSphere's, and kgate's safety rules, one entry
/// point a kind. Every function returns every error it finds, each with its field path as
/// the manifest spells it, so a form can place them beside their fields. Create and edit
/// take the same path (kubesphere#4111).
///
/// The primitive rules (`dns1123Subdomain`, `ingressHost`, `portName`, `pathReasons`, …)
/// return the reasons a value is refused, in Kubernetes' wording where it has one, so a
/// form can check a field as it is typed. Every string of every object is also held to
/// one line with no control characters (`TextRules`).
public enum Validate {
    /// Every error of `route`, each at its manifest path:
    ///
    /// - `metadata.name` (KubeSphere's route name), `metadata.namespace` (the project),
    ///   `metadata.labels[<key>]`, `metadata.annotations[<key>]` (alias ≤ 63 at
    ///   `metadata.annotations[kubesphere.io/alias-name]`, description ≤ 256 at
    ///   `metadata.annotations[kubesphere.io/description]`), `metadata.annotations` (size)
    /// - `spec.ingressClassName`
    /// - `spec.defaultBackend.service.name`, `spec.defaultBackend.service.port[.number|.name]`
    /// - `spec.rules` (at least one), `spec.rules[i].host`, `spec.rules[i].http.paths` (at
    ///   least one), and for each path `spec.rules[i].http.paths[j].path`, `….pathType`,
    ///   `….backend.service.name`, `….backend.service.port.number`,
    ///   `….backend.service.port.name`, and `….backend.service.port` when it has both a
    ///   number and a name or neither
    /// - `spec.rules[i].http.paths[j].path` also for a path that repeats an earlier one
    ///   under the same host (same path and pathType)
    /// - `spec.tls[i].hosts[j]`, `spec.tls[i].secretName`
    ///
    /// ```
    /// spec.rules[0].host: must be a DNS name, not an IP address
    /// spec.rules[0].http.paths[1].backend.service.port: port name or number is required
    /// ```
    public static func route(_ route: Route) -> [FieldError] { routeErrors(route) }

    /// A gateway as it would be stored. Paths are those of the Gateway CRD
    /// (`gateway.kubesphere.io/v1alpha1`), and of its Service where the CRD has none:
    ///
    /// - `spec.controller.scope.namespace`: the project, a DNS-1123 label
    /// - `metadata.name`: `kubesphere-router-<project>`, at most 63 (the project ≤ 45)
    /// - `metadata.namespace`: where gateways live, a DNS-1123 label
    /// - `spec.service.annotations[<key>]`, `spec.service.annotations` (total size)
    /// - `spec.deployment.replicas`: 1–100
    /// - `spec.controller.config[<key>]`: ConfigMap keys, single-line values, no snippets
    /// - `spec.ports` (http 80 and https 443 must both be there), `spec.ports[i].name`,
    ///   `spec.ports[i].port`, `spec.ports[i].nodePort` (in `nodePortRange`, the two
    ///   distinct): the ports as the gateway's Service reports them
    /// - `spec.externalIPs[i]`, `status.loadBalancer.ingress[i].ip|hostname`
    ///
    /// The type is an enum here; text is read with `gatewayType(_:)`.
    ///
    /// ```
    /// spec.ports[1].nodePort: not in the valid range 30000-32767
    /// ```
    public static func gateway(_ gateway: Gateway, nodePortRange: ClosedRange<Int>) -> [FieldError] {
        gatewayErrors(gateway, nodePortRange: nodePortRange)
    }

    /// Any object kgate stores, by kind:
    ///
    /// - Namespace: `metadata.name` (DNS-1123 label), `metadata.labels[<key>]`,
    ///   `metadata.annotations[<key>]`
    /// - Node: `metadata.name` (subdomain), `status.addresses[i].address`
    /// - Service: `metadata.name` (DNS-1035 label), `metadata.namespace`, `spec.type`,
    ///   `spec.ports`, `spec.ports[i].name|port|targetPort|protocol|nodePort`,
    ///   `spec.selector[<key>]`, `spec.clusterIP`, `spec.externalIPs[i]`,
    ///   `status.loadBalancer.ingress[i].ip|hostname`
    /// - EndpointSlice: `metadata.name`, `metadata.labels[kubernetes.io/service-name]`,
    ///   `addressType`, `endpoints[i].addresses[0]`, `ports[i].name|port|protocol`
    /// - Secret: `metadata.name` (subdomain), `data[tls.crt]`, `data[tls.key]`
    /// - Ingress: as `route(_:)`; Gateway: as `gateway(_:nodePortRange:)` with the
    ///   settings' range
    /// - Deployment (legacy router): `metadata.labels[project]`, `metadata.name`,
    ///   `metadata.namespace`, `spec.replicas`
    /// - Eip: `metadata.name`, `spec.address` (IPv4, `a-b` or CIDR), `spec.protocol`,
    ///   `spec.interface`
    /// - ConfigMap `kgate-settings`: `data[nodePortRange]`, `data[autoDomainBase]`,
    ///   `data[gatewayNamespace]`
    public static func object(_ object: KubeObject, settings: WorkspaceSettings) -> [FieldError] {
        objectErrors(object, settings: settings)
    }
}

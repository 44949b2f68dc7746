/// The kinds that are neither routes, gateways nor Services: projects, nodes, TLS secrets,
/// address pools and the workspace settings.
extension Validate {
    /// The body of `Validate.object(_:settings:)`, which documents the paths.
    static func objectErrors(_ object: KubeObject, settings: WorkspaceSettings) -> [FieldError] {
        switch object {
        case .project(let project): projectErrors(project)
        case .node(let node): nodeErrors(node)
        case .service(let service): serviceErrors(service, nodePortRange: settings.nodePortRange)
        case .endpoints(let slice): endpointsErrors(slice)
        case .secret(let secret): secretErrors(secret)
        case .route(let route): routeErrors(route)
        case .gateway(let gateway): gatewayErrors(gateway, nodePortRange: settings.nodePortRange)
        case .routerDeployment(let deployment): routerDeploymentErrors(deployment)
        case .addressPool(let pool): addressPoolErrors(pool)
        case .settings(let settings): settingsErrors(settings)
        case .gatewayAPI(let object): gatewayAPIErrors(object)
        }
    }

    /// A Gateway API object: the API's own rules (`GatewayAPIValidator`), in a namespace.
    static func gatewayAPIErrors(_ object: GatewayAPIObject) -> [FieldError] {
        var errors = GatewayAPIValidator.errors(object.rendered)
        if object.metadata.namespace.isEmpty {
            errors.append(FieldError("metadata.namespace", "Required value: \(object.kind.rawValue) is a namespaced object"))
        }
        return errors
    }

    /// A Namespace: `metadata.name` a DNS-1123 label.
    static func projectErrors(_ project: Project) -> [FieldError] {
        var errors = objectMeta(project.metadata, nameRule: dns1123Label, namespaced: false)
        TextRules.check(strings(of: project.metadata), into: &errors)
        return errors
    }

    /// A Node: `metadata.name` a subdomain; `status.addresses[i].address` non-empty, an IP
    /// for `ExternalIP` and `InternalIP`.
    static func nodeErrors(_ node: Node) -> [FieldError] {
        var errors = objectMeta(node.metadata, nameRule: dns1123Subdomain, namespaced: false)
        var fields = strings(of: node.metadata)
        for (i, address) in node.addresses.enumerated() {
            let field = FieldPath("status.addresses").index(i).child("address")
            fields.add(field, address.address)
            if address.address.isEmpty {
                errors.append(FieldError(field, "is required"))
            } else if address.kind == .externalIP || address.kind == .internalIP {
                errors.append(ipAddress(address.address), at: field)
            } else if address.address.contains(where: \.isWhitespace) {
                errors.append(FieldError(field, "must not contain whitespace"))
            }
        }
        TextRules.check(fields, into: &errors)
        return errors
    }

    /// A `kubernetes.io/tls` Secret: `metadata.name` a subdomain; `data[tls.crt]` and
    /// `data[tls.key]` present and base64. The key material never appears in a reason.
    static func secretErrors(_ secret: TLSSecret) -> [FieldError] {
        var errors = objectMeta(secret.metadata, nameRule: dns1123Subdomain, namespaced: true)
        for (key, value) in [("tls.crt", secret.certificate), ("tls.key", secret.key)] {
            let field = FieldPath("data").key(key)
            if value.isEmpty {
                errors.append(FieldError(field, "is required"))
            } else if !isBase64(value) {
                errors.append(FieldError(field, "must be base64-encoded"))
            }
        }
        TextRules.check(strings(of: secret.metadata), into: &errors)
        return errors
    }

    public static let supportedPoolProtocols = ["layer2", "bgp", "vip"]

    /// An OpenELB `Eip`: `metadata.name` a subdomain; `spec.address` an IPv4 address, range
    /// or CIDR; `spec.protocol` layer2, bgp or vip; `spec.interface` one word.
    static func addressPoolErrors(_ pool: AddressPool) -> [FieldError] {
        var errors = objectMeta(pool.metadata, nameRule: dns1123Subdomain, namespaced: false)
        if case .failure(let failure) = IPv4Range.parse(pool.address) {
            errors.append(FieldError("spec.address", failure.reason))
        }
        if !supportedPoolProtocols.contains(pool.protocol) {
            errors.append(FieldError("spec.protocol", unsupportedValue(pool.protocol, supported: supportedPoolProtocols)))
        }
        var fields = strings(of: pool.metadata)
        fields.add("spec.address", pool.address)
        fields.add("spec.protocol", pool.protocol)
        if let interface = pool.interface {
            fields.add("spec.interface", interface)
            if interface.isEmpty || interface.contains(where: { $0.isWhitespace || !$0.isASCII }) {
                errors.append(FieldError("spec.interface", "must be a network interface name, one word of ASCII"))
            }
        }
        TextRules.check(fields, into: &errors)
        return errors
    }

    /// The settings ConfigMap `kgate-settings`: `data[nodePortRange]` with
    /// 1 ≤ low ≤ high ≤ 65535, `data[autoDomainBase]` a DNS name, `data[gatewayNamespace]` a
    /// DNS-1123 label.
    static func settingsErrors(_ settings: WorkspaceSettings) -> [FieldError] {
        var errors: [FieldError] = []
        let data = FieldPath("data")
        let range = settings.nodePortRange
        if range.lowerBound < 1 || range.upperBound > 65535 {
            errors.append(FieldError(data.key("nodePortRange"), "must lie within 1-65535"))
        }
        errors.append(name(settings.autoDomainBase, rule: dnsName), at: data.key("autoDomainBase"))
        errors.append(name(settings.gatewayNamespace, rule: dns1123Label), at: data.key("gatewayNamespace"))
        return errors
    }

    /// Standard base64 (`A–Z a–z 0–9 + /`, `=` padding), whole groups of four.
    private static func isBase64(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return false }
        let padding = bytes.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return false }
        return bytes.dropLast(padding).allSatisfy {
            ValidationBytes.isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/")
        }
    }
}

/// A project's gateway as it would be stored, and its type read from text.
extension Validate {
    public static let replicasRange = 1...100

    /// Reads a gateway type exactly: `NodePort` or `LoadBalancer`, nothing else (KubeSphere
    /// turned anything else into NodePort silently). Refusals are at `spec.service.type`.
    ///
    /// ```
    /// spec.service.type: unsupported value "ClusterIP": supported values are "NodePort", "LoadBalancer"
    /// ```
    public static func gatewayType(_ text: String) -> Result<GatewayType, FieldError> {
        guard let type = GatewayType(exactly: text) else {
            let supported = GatewayType.allCases.map(\.rawValue)
            return .failure(FieldError("spec.service.type", unsupportedValue(text, supported: supported)))
        }
        return .success(type)
    }

    /// The body of `Validate.gateway(_:nodePortRange:)`, which documents the paths.
    static func gatewayErrors(_ gateway: Gateway, nodePortRange: ClosedRange<Int>) -> [FieldError] {
        var errors: [FieldError] = []
        let projectField = FieldPath("spec.controller.scope.namespace")
        let projectReasons = name(gateway.project, rule: dns1123Label)
        errors.append(projectReasons, at: projectField)
        if projectReasons.isEmpty {
            errors.append(gatewayName(project: gateway.project), at: "metadata.name")
        }
        errors.append(name(gateway.namespace, rule: dns1123Label), at: "metadata.namespace")
        errors += annotations(gateway.annotations, at: "spec.service.annotations")
        if !replicasRange.contains(gateway.replicas) {
            errors.append(FieldError(
                "spec.deployment.replicas",
                "must be between \(replicasRange.lowerBound) and \(replicasRange.upperBound), inclusive"))
        }
        errors += config(gateway.config, at: "spec.controller.config")
        errors += gatewayPorts(gateway.ports, nodePortRange: nodePortRange)
        for (i, ip) in gateway.externalIPs.enumerated() {
            errors.append(ipAddress(ip), at: FieldPath("spec.externalIPs").index(i))
        }
        errors += loadBalancerIngress(gateway.loadBalancerIngress)
        TextRules.check(strings(of: gateway), into: &errors)
        return errors
    }

    /// The legacy router's Deployment: project, namespace and replicas, at
    /// `metadata.labels[project]`, `metadata.namespace` and `spec.replicas`.
    static func routerDeploymentErrors(_ deployment: RouterDeployment) -> [FieldError] {
        var errors: [FieldError] = []
        let projectReasons = name(deployment.project, rule: dns1123Label)
        errors.append(projectReasons, at: FieldPath("metadata.labels").key("project"))
        if projectReasons.isEmpty {
            errors.append(gatewayName(project: deployment.project), at: "metadata.name")
        }
        errors.append(name(deployment.namespace, rule: dns1123Label), at: "metadata.namespace")
        if !replicasRange.contains(deployment.replicas) {
            errors.append(FieldError(
                "spec.replicas", "must be between \(replicasRange.lowerBound) and \(replicasRange.upperBound), inclusive"))
        }
        var fields = TextFields()
        fields.add(FieldPath("metadata.labels").key("project"), deployment.project)
        fields.add("metadata.namespace", deployment.namespace)
        if let version = deployment.resourceVersion { fields.add("metadata.resourceVersion", version) }
        TextRules.check(fields, into: &errors)
        return errors
    }

    /// `kubesphere-router-<project>` names a Service, so it must be a DNS-1035 label: a
    /// project name of at most 45 characters.
    private static func gatewayName(project: String) -> [String] {
        let name = Gateway.name(project: project)
        guard name.utf8.count > dns1123LabelMaxLength else { return dns1035Label(name) }
        let room = dns1123LabelMaxLength - Gateway.name(project: "").utf8.count
        return [
            "must be no more than \(dns1123LabelMaxLength) characters: the gateway's Service is named "
                + "kubesphere-router-<project>, so the project name may have at most \(room)"
        ]
    }

    /// ingress-nginx ConfigMap options: keys as ConfigMap keys, values single lines, and no
    /// `*-snippet` option (raw nginx configuration).
    static func config(_ config: [String: String], at field: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in config.sorted(by: { $0.key < $1.key }) {
            errors.append(configKey(key), at: field.key(key))
            errors.append(singleLine(value), at: field.key(key))
            if key.hasSuffix("-snippet") { errors.append(FieldError(field.key(key), snippetReason)) }
        }
        return errors
    }

    /// Exactly `http` 80 and `https` 443, each once, at `spec.ports[i].name|port`; node
    /// ports in range and distinct at `spec.ports[i].nodePort`.
    private static func gatewayPorts(_ ports: [GatewayPort], nodePortRange: ClosedRange<Int>) -> [FieldError] {
        let field = FieldPath("spec.ports")
        var errors: [FieldError] = []
        let expected = ["http": 80, "https": 443]
        var seenNames: Set<String> = []
        var nodePorts: [Int: String] = [:]
        for (i, port) in ports.enumerated() {
            let portField = field.index(i)
            if let wanted = expected[port.name] {
                if !seenNames.insert(port.name).inserted {
                    errors.append(FieldError(portField.child("name"), "duplicate port name \(quoted(port.name))"))
                }
                if port.port != wanted {
                    errors.append(FieldError(portField.child("port"), "must be \(wanted) for the \(port.name) port"))
                }
            } else {
                errors.append(FieldError(
                    portField.child("name"), unsupportedValue(port.name, supported: ["http", "https"])))
            }
            guard let nodePort = port.nodePort else { continue }
            let nodePortField = portField.child("nodePort")
            errors.append(self.nodePort(nodePort, in: nodePortRange), at: nodePortField)
            if let owner = nodePorts[nodePort] {
                errors.append(FieldError(nodePortField, "\(nodePort) is already used by the \(owner) port"))
            } else {
                nodePorts[nodePort] = port.name
            }
        }
        for name in ["http", "https"] where !seenNames.contains(name) {
            errors.append(FieldError(field, "must have a port named \(name) (\(expected[name] ?? 0))"))
        }
        return errors
    }

    /// `status.loadBalancer.ingress[i].ip` an IP, `….hostname` a DNS name.
    static func loadBalancerIngress(_ entries: [LoadBalancerIngress]) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, entry) in entries.enumerated() {
            let field = FieldPath("status.loadBalancer.ingress").index(i)
            if let ip = entry.ip { errors.append(ipAddress(ip), at: field.child("ip")) }
            if let hostname = entry.hostname { errors.append(dnsName(hostname), at: field.child("hostname")) }
            if entry.ip == nil && entry.hostname == nil {
                errors.append(FieldError(field, "must have an ip or a hostname"))
            }
        }
        return errors
    }

    private static func strings(of gateway: Gateway) -> TextFields {
        var fields = TextFields()
        fields.add("spec.controller.scope.namespace", gateway.project)
        fields.add("metadata.namespace", gateway.namespace)
        fields.add(gateway.annotations, at: "spec.service.annotations")
        fields.add(gateway.config, at: "spec.controller.config")
        for (i, port) in gateway.ports.enumerated() { fields.add(FieldPath("spec.ports").index(i).child("name"), port.name) }
        for (i, ip) in gateway.externalIPs.enumerated() { fields.add(FieldPath("spec.externalIPs").index(i), ip) }
        if let version = gateway.resourceVersion { fields.add("metadata.resourceVersion", version) }
        if let stamp = gateway.creationTimestamp { fields.add("metadata.creationTimestamp", stamp) }
        return fields
    }
}

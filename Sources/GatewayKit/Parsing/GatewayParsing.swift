/// The gateway's kinds read back: the Gateway CR, the legacy router Deployment, and the
/// settings ConfigMap. The gateway's Service is an ordinary Service.
extension ObjectParsing {
    static let routerPrefix = "kubesphere-router-"

    /// The Gateway CR. The project is `spec.controller.scope.namespace` (else the name
    /// after `kubesphere-router-`); ports and node ports come from `status.service`, the
    /// LoadBalancer addresses from `status.loadBalancer`.
    static func gateway(_ root: ValueReader) -> KubeObject? {
        let meta = root["metadata"]
        if !meta.isPresent { meta.refuse("Required value") }
        let name = meta["name"].requiredString()
        let spec = root["spec"]
        let controller = spec["controller"]
        // The cluster gateway's CR has an empty scope namespace: its project is in its name.
        let scope = controller["scope"]["namespace"].string().flatMap { $0.isEmpty ? nil : $0 }
        let fromName = name.hasPrefix(routerPrefix) ? String(name.dropFirst(routerPrefix.count)) : nil
        guard let project = scope ?? fromName, !project.isEmpty else {
            meta["name"].refuse("must be \(routerPrefix)<project>, or spec.controller.scope.namespace must name the project")
            return nil
        }
        if name != Gateway.name(project: project) {
            meta["name"].refuse("must be \(jsonQuoted(Gateway.name(project: project))) for project \(jsonQuoted(project))")
        }
        let deployment = spec["deployment"]
        let status = root["status"]
        let statusPorts = status["service"]
        let ports = statusPorts.isPresent
            ? statusPorts.list().map { GatewayPort(name: $0["name"].requiredString(), port: $0["port"].requiredInt(), nodePort: $0["nodePort"].int()) }
            : GatewayPort.defaults
        let type = spec["service"]["type"].requiredOneOf(GatewayType.self)
        var gateway = Gateway(
            project: project, namespace: meta["namespace"].string() ?? "", type: type ?? .nodePort, ports: ports,
            annotations: spec["service"]["annotations"].stringMap(),
            governance: governance(deployment["annotations"]) ?? false,
            replicas: deployment["replicas"].int() ?? controller["replicas"].int() ?? 1,
            config: controller["config"].stringMap(),
            loadBalancerIngress: loadBalancerIngress(status["loadBalancer"]),
            externalIPs: status["externalIPs"].strings(), resourceVersion: meta["resourceVersion"].string(),
            creationTimestamp: meta["creationTimestamp"].string())
        gateway.stored = StoredManifest(unmodeledOf: root.value, kind: "Gateway")
        gateway.ingressClass = controller["ingressClassResource"]["name"].string()
        if let failure = releaseFailure(status["conditions"].value) { gateway.controllerState = .failed(reason: failure) }
        return .gateway(gateway)
    }

    /// The message of a failed Helm release among the CR's `status.conditions`, as
    /// KubeSphere's Helm operator writes them (operator-framework helm-operator-plugins,
    /// used by kubesphere/kubesphere pkg/controller/helm/helm_controller.go): a condition
    /// `ReleaseFailed` or `Irreconcilable` with status "True", its `message` (else its
    /// `reason`, such as `InstallError`). Conditions of any other shape are ignored.
    static func releaseFailure(_ conditions: ManifestValue?) -> String? {
        guard case .list(let items)? = conditions else { return nil }
        for item in items {
            guard case .string(let type)? = item["type"], ["ReleaseFailed", "Irreconcilable"].contains(type),
                item["status"] == .string("True")
            else { continue }
            var reason: String?
            if case .string(let text)? = item["reason"], !text.isEmpty { reason = text }
            if case .string(let message)? = item["message"], !message.isEmpty {
                return reason.map { "\($0): \(message)" } ?? message
            }
            return reason ?? type
        }
        return nil
    }

    /// The legacy router Deployment `kubesphere-router-<project>`; any other Deployment
    /// is not something kgate stores.
    static func routerDeployment(_ root: ValueReader) -> KubeObject? {
        let meta = root["metadata"]
        let name = meta["name"].string() ?? ""
        guard name.hasPrefix(routerPrefix), name.count > routerPrefix.count else {
            root["kind"].refuse("Deployment \(displayed(name)) is not a kind kgate stores (only the legacy router Deployment \(routerPrefix)<project>)")
            return nil
        }
        let template = root["spec"]["template"]["metadata"]["annotations"]
        let governance = governance(template) ?? governance(meta["annotations"]) ?? false
        return .routerDeployment(RouterDeployment(
            project: String(name.dropFirst(routerPrefix.count)), namespace: meta["namespace"].string() ?? "",
            replicas: root["spec"]["replicas"].int() ?? 1, governance: governance,
            resourceVersion: meta["resourceVersion"].string()))
    }

    /// `servicemesh.kubesphere.io/enabled`: `"true"`, `"false"`, or not set (nil).
    private static func governance(_ annotations: ValueReader) -> Bool? {
        let flag = annotations.field(KubeSphereAnnotation.governance)
        guard let text = flag.string() else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            flag.refuse(unsupported(text, supported: ["true", "false"]))
            return nil
        }
    }

    /// The ConfigMap `kgate-settings`; any other ConfigMap is not something kgate stores.
    static func settings(_ root: ValueReader) -> KubeObject? {
        let meta = root["metadata"]
        let name = meta["name"].string() ?? ""
        guard name == WorkspaceSettings.configMapName else {
            root["kind"].refuse("ConfigMap \(displayed(name)) is not a kind kgate stores (only ConfigMap \(WorkspaceSettings.configMapName))")
            return nil
        }
        let data = root["data"]
        var settings = WorkspaceSettings()
        let range = data.field("nodePortRange")
        if let text = range.string() {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low <= high {
                settings.nodePortRange = low...high
            } else {
                range.refuse("must be <first>-<last> with first <= last, as \"30000-32767\"")
            }
        }
        if let base = data.field("autoDomainBase").string() { settings.autoDomainBase = base }
        settings.gatewayNamespace = data.field("gatewayNamespace").string() ?? meta["namespace"].string() ?? Gateway.defaultNamespace
        if let flavor = data.field("gatewayFlavor").oneOf(GatewayFlavor.self) { settings.gatewayFlavor = flavor }
        return .settings(settings)
    }
}

import GatewayKit

/// What the route editor needs from the project besides the route: the services and
/// their ports, the TLS secrets, the gateway (for auto hosts and URLs). Refreshed on load.
struct EditorContext: Hashable, Sendable {
    var project: String
    var services: [BackendService]
    var secrets: [String]
    var gateway: GatewayView?
    var governance: Bool
    var autoDomainBase: String

    init(project: String, state: ConsoleState) {
        self.project = project
        services = (state.inventory?.services(project: project) ?? []).sorted { $0.name < $1.name }
        secrets = (state.inventory?.secrets(project: project) ?? []).map(\.name).sorted()
        gateway = state.catalog.gatewayView(project: project)
        governance = gateway?.governance ?? false
        autoDomainBase = state.inventory?.settings.autoDomainBase ?? "nip.io"
    }

    func service(named name: String) -> BackendService? { services.first { $0.name == name } }

    /// The host Auto Generate gives a rule whose first path goes to `service`.
    func autoHost(service: String) -> String? {
        AutoDomain.host(service: service, project: project, gateway: gateway, base: autoDomainBase)
    }
}

/// The route being typed: text fields and picks, turned into a `Route` to validate,
/// preview and save.
struct RouteDraft: Hashable, Sendable {
    var name: TextField
    var alias: TextField
    var description: TextField
    var rules: [RuleDraft]
    /// The route's labels (KubeSphere's Advanced step).
    var labels: [AnnotationField]
    /// Every annotation but the alias and description, which have fields of their own.
    var annotations: [AnnotationField]

    /// A new route: one rule, path `/` to the project's first service and its first port.
    init(context: EditorContext) {
        name = TextField()
        alias = TextField()
        description = TextField()
        rules = [RuleDraft(context: context)]
        labels = []
        annotations = []
        if context.governance {
            // KubeSphere's route form adds this when the gateway traces through the mesh.
            annotations.append(AnnotationField(key: KubeSphereAnnotation.serviceUpstream, value: "true"))
        }
    }

    init(route: Route, context: EditorContext) {
        name = TextField(route.name)
        alias = TextField(route.alias ?? "")
        description = TextField(route.description ?? "")
        rules = route.rules.map { rule in
            RuleDraft(
                mode: AutoDomain.parse(rule.host, project: context.project) != nil ? .auto : .specify,
                host: TextField(rule.host), https: route.isTLS(host: rule.host),
                secret: route.tlsSecret(host: rule.host) ?? "",
                paths: rule.paths.map { path in
                    PathDraft(
                        path: TextField(path.path), pathType: path.pathType ?? .implementationSpecific,
                        service: path.backend.service, portNumber: path.backend.portNumber, portName: path.backend.portName)
                })
        }
        labels = route.metadata.labels.sorted { $0.key < $1.key }.map { AnnotationField(key: $0.key, value: $0.value) }
        let own: Set<String> = [KubeSphereAnnotation.alias, KubeSphereAnnotation.description]
        annotations = route.metadata.annotations.filter { !own.contains($0.key) }.sorted { $0.key < $1.key }
            .map { AnnotationField(key: $0.key, value: $0.value) }
    }

    /// The host a rule will be saved with: generated in Auto mode, typed otherwise.
    func host(of rule: RuleDraft, context: EditorContext) -> String {
        switch rule.mode {
        case .auto: context.autoHost(service: rule.paths.first?.service ?? "") ?? ""
        case .specify: rule.host.text
        }
    }

    /// The route as it would be saved. `original` keeps what the form does not show
    /// (labels, ingress class, default backend, TLS entries of hosts no rule has).
    func route(context: EditorContext, original: Route?) -> Route {
        var metadata = original?.metadata ?? ObjectMeta(name: "", namespace: context.project)
        metadata.name = name.text
        metadata.namespace = context.project
        var map: [String: String] = [:]
        for field in annotations where !field.key.text.isEmpty { map[field.key.text] = field.value.text }
        if !alias.text.isEmpty { map[KubeSphereAnnotation.alias] = alias.text }
        if !description.text.isEmpty { map[KubeSphereAnnotation.description] = description.text }
        metadata.annotations = map
        var labelMap: [String: String] = [:]
        for field in labels where !field.key.text.isEmpty { labelMap[field.key.text] = field.value.text }
        metadata.labels = labelMap
        let hosts = rules.map { host(of: $0, context: context) }
        let routeRules = zip(rules, hosts).map { rule, host in
            RouteRule(
                host: host,
                paths: rule.paths.map { path in
                    RoutePath(
                        path: path.path.text, pathType: path.pathType,
                        backend: RouteBackend(service: path.service, portNumber: path.portNumber, portName: path.portName))
                })
        }
        var tls = tlsRules.map { index in
            RouteTLS(hosts: hosts[index].isEmpty ? [] : [hosts[index]], secretName: rules[index].secret.isEmpty ? nil : rules[index].secret)
        }
        let ruleHosts = Set(hosts)
        tls += (original?.tls ?? []).filter { entry in !entry.hosts.isEmpty && ruleHosts.isDisjoint(with: entry.hosts) }
        // Start from the stored route, so what the form does not show (and whatever the
        // model keeps beside its typed fields) is saved as it was.
        var route = original ?? Route(metadata: metadata, rules: [])
        route.metadata = metadata
        route.rules = routeRules
        route.tls = tls
        return route
    }

    /// The rule index of each `spec.tls` entry the draft writes, in order.
    var tlsRules: [Int] { rules.indices.filter { rules[$0].https } }
}

struct RuleDraft: Hashable, Sendable {
    enum HostMode: String, Hashable, Sendable, CaseIterable {
        case auto = "Auto Generate"
        case specify = "Specify Domain"
    }

    var mode: HostMode
    var host: TextField
    var https: Bool
    var secret: String
    var paths: [PathDraft]

    init(mode: HostMode, host: TextField, https: Bool, secret: String, paths: [PathDraft]) {
        self.mode = mode
        self.host = host
        self.https = https
        self.secret = secret
        self.paths = paths
    }

    /// Auto Generate when the gateway has an address to build the host on.
    init(context: EditorContext) {
        mode = context.gateway?.primaryAddress == nil ? .specify : .auto
        host = TextField()
        https = false
        secret = ""
        paths = [PathDraft(context: context)]
    }
}

struct PathDraft: Hashable, Sendable {
    var path: TextField
    var pathType: PathType
    var service: String
    var portNumber: Int?
    var portName: String?

    init(path: TextField, pathType: PathType, service: String, portNumber: Int?, portName: String?) {
        self.path = path
        self.pathType = pathType
        self.service = service
        self.portNumber = portNumber
        self.portName = portName
    }

    /// `/` to the project's first service and its first port.
    init(context: EditorContext) {
        path = TextField("/")
        pathType = .implementationSpecific
        let first = context.services.first
        service = first?.name ?? ""
        portNumber = first?.ports.first?.port
        portName = nil
    }

    var portText: String { portNumber.map(String.init) ?? portName ?? "" }
}

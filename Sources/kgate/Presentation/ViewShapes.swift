import GatewayKit

/// The `-o json` / `-o yaml` shapes of kgate's views. Scripts depend on them: they are
/// documented in README.md ("JSON shapes") and change only by adding fields.
enum ViewShapes {
    /// `kgate gateway show`.
    static func gateway(_ view: GatewayView, gateway: Gateway) -> ManifestValue {
        var fields: [ManifestField] = [
            ManifestField("project", .string(view.project)),
            ManifestField("type", .string(view.type.rawValue)),
            ManifestField("status", .string(view.status.name)),
        ]
        if let reason = view.status.reason { fields.append(ManifestField("reason", .string(reason))) }
        fields += [
            ManifestField(
                "addresses",
                .list(
                    view.addresses.map { address in
                        .map([
                            ManifestField("address", .string(address.address)),
                            ManifestField("kind", .string(address.kind.rawValue)),
                            ManifestField("node", address.node.map(ManifestValue.string) ?? .null),
                        ])
                    })),
            ManifestField(
                "ports",
                .list(
                    view.ports.map { port in
                        .map([
                            ManifestField("name", .string(port.name)),
                            ManifestField("port", .int(port.port)),
                            ManifestField("nodePort", port.nodePort.map(ManifestValue.int) ?? .null),
                        ])
                    })),
            ManifestField("urls", .list(view.urls.map(ManifestValue.string))),
            ManifestField("governance", .bool(view.governance)),
            ManifestField("annotations", ManifestValue.sortedStrings(view.annotations)),
            ManifestField("replicas", .int(view.replicas)),
            ManifestField("config", ManifestValue.sortedStrings(view.config)),
            ManifestField("ingressClass", .string(view.ingressClass)),
            ManifestField("resourceVersion", gateway.resourceVersion.map(ManifestValue.string) ?? .null),
        ]
        return .map(fields)
    }

    /// One route of `kgate routes` and `kgate route show`; `conflicts` are its project's.
    static func route(_ route: Route, gateway: GatewayView?, conflicts: PathConflicts) -> ManifestValue {
        let urls = AccessURL.all(route: route, gateway: gateway, conflicts: conflicts)
        let rules: [ManifestValue] = route.rules.enumerated().map { ruleIndex, rule in
            .map([
                ManifestField("host", .string(rule.host)),
                ManifestField(
                    "paths",
                    .list(
                        rule.paths.enumerated().map { pathIndex, path in
                            let access = urls.first { $0.ruleIndex == ruleIndex && $0.pathIndex == pathIndex }
                            return .map([
                                ManifestField("path", .string(path.path)),
                                ManifestField("pathType", path.pathType.map { .string($0.rawValue) } ?? .null),
                                ManifestField("service", .string(path.backend.service)),
                                ManifestField("port", port(path.backend)),
                                ManifestField("url", access?.url.map(ManifestValue.string) ?? .null),
                                ManifestField("notServed", access?.notServed.map(ManifestValue.string) ?? .null),
                            ])
                        })),
            ])
        }
        return .map([
            ManifestField("name", .string(route.name)),
            ManifestField("project", .string(route.namespace)),
            ManifestField("alias", route.alias.map(ManifestValue.string) ?? .null),
            ManifestField("description", route.description.map(ManifestValue.string) ?? .null),
            ManifestField("rules", .list(rules)),
            ManifestField(
                "tls",
                .list(
                    route.tls.map { tls in
                        .map([
                            ManifestField("hosts", .list(tls.hosts.map(ManifestValue.string))),
                            ManifestField("secretName", tls.secretName.map(ManifestValue.string) ?? .null),
                        ])
                    })),
            ManifestField(
                "notAppliedLocally",
                .list(IngressNginxAnnotations.assess(route.metadata.annotations).notAppliedLocally.map(ManifestValue.string))),
            ManifestField("ingressClass", IngressClass.of(route).map(ManifestValue.string) ?? .null),
            ManifestField(
                "defaultBackend",
                route.defaultBackend.map { backend in
                    // A route of only a default backend: whether it is the project's (`AccessURL`'s `*`).
                    let notServed = route.rules.isEmpty ? urls.first?.notServed : nil
                    return .map([
                        ManifestField("service", .string(backend.service)), ManifestField("port", port(backend)),
                        ManifestField("notServed", notServed.map(ManifestValue.string) ?? .null),
                    ])
                } ?? .null),
            ManifestField(
                "notServed", gateway.flatMap { IngressClass.notServedReason(route, servedClass: $0.ingressClass) }.map(ManifestValue.string) ?? .null),
            ManifestField("resourceVersion", route.metadata.resourceVersion.map(ManifestValue.string) ?? .null),
        ])
    }

    /// `kgate projects`.
    static func project(_ project: Project, inventory: Inventory) -> ManifestValue {
        let gateway = inventory.gateway(project: project.name)
        let view = gateway.map { GatewayView(gateway: $0, nodes: inventory.nodes) }
        return .map([
            ManifestField("name", .string(project.name)),
            ManifestField("alias", project.alias.map(ManifestValue.string) ?? .null),
            ManifestField("gateway", view.map { .string($0.type.rawValue) } ?? .null),
            ManifestField("status", view.map { .string($0.status.name) } ?? .null),
            ManifestField("routes", .int(inventory.routes(project: project.name).count)),
        ])
    }

    private static func port(_ backend: RouteBackend) -> ManifestValue {
        if let number = backend.portNumber { return .int(number) }
        return backend.portName.map(ManifestValue.string) ?? .null
    }

    /// The text of a shape in the format asked for.
    static func text(_ value: ManifestValue, format: OutputFormat) -> String {
        format == .yaml ? YAMLEmitter.document(value) : JSONEmitter.document(value)
    }
}

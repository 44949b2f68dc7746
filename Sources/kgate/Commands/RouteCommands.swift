import ArgumentParser
import Foundation
import GatewayKit

struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "List a project's routes with their access URLs.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
    @Option(name: .shortAndLong, help: "table, yaml or json.") var output: OutputFormat = .table

    func run() async throws {
        let project = try global.project(self.project)
        let store = try await global.openStore()
        let inventory = try await loadInventory(store, project: project)
        let gateway = inventory.gateway(project: project).map { GatewayView(gateway: $0, nodes: inventory.nodes) }
        let routes = inventory.routes(project: project)
        let conflicts = PathConflicts.find(routes: routes, servedClass: gateway?.ingressClass)
        if output != .table {
            emit(ViewShapes.text(.list(routes.map { ViewShapes.route($0, gateway: gateway, conflicts: conflicts) }), format: output))
            return
        }
        var table = TextTable("NAME", "HOST", "PATH", "BACKEND", "URL")
        for route in routes {
            // The name on the route's first row (its first rule may be a host alone).
            for (row, url) in AccessURL.all(route: route, gateway: gateway, conflicts: conflicts).enumerated() {
                table.add(
                    row == 0 ? route.name : "", url.host.isEmpty ? "*" : url.host,
                    url.path, "\(url.service):\(url.port)", url.url ?? url.notServed ?? "-")
            }
        }
        emit(table.text)
        if gateway == nil { emit("(no gateway: set one with `kgate gateway set \(project) --type NodePort`)") }
    }
}

struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Show, create, apply or delete one route.",
        subcommands: [Show.self, Create.self, Apply.self, Delete.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a route and its access URLs.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace); with one argument, the route.") var project: String?
        @Argument(help: "The route.") var name: String?
        @Option(name: .shortAndLong, help: "table, yaml or json.") var output: OutputFormat = .table

        func run() async throws {
            let (project, name) = try global.projectAndName(self.project, self.name, naming: "route")
            let store = try await global.openStore()
            let inventory = try await loadInventory(store, project: project)
            guard let route = inventory.route(project: project, name: name) else {
                throw Refusal(.notFound(object: "Ingress \(project)/\(name)"))
            }
            let gateway = inventory.gateway(project: project).map { GatewayView(gateway: $0, nodes: inventory.nodes) }
            let conflicts = PathConflicts.find(routes: inventory.routes(project: project), servedClass: gateway?.ingressClass)
            if output != .table {
                emit(ViewShapes.text(ViewShapes.route(route, gateway: gateway, conflicts: conflicts), format: output))
                return
            }
            var d = Description()
            d.add("Name", route.name)
            d.add("Project", route.namespace)
            d.add("Alias", route.alias ?? "-")
            d.add("Description", route.description ?? "-")
            d.add(
                "Rules",
                lines: AccessURL.all(route: route, gateway: gateway, conflicts: conflicts).map {
                    "\($0.host.isEmpty ? "*" : $0.host)\($0.path) → \($0.service):\($0.port)  \($0.url ?? "(\($0.notServed ?? "no URL: gateway not set"))")"
                })
            d.add("TLS", lines: route.tls.map { "\($0.hosts.joined(separator: ",")) → secret \($0.secretName ?? "-")" })
            d.add("Annotations", lines: route.metadata.annotations.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            // What `kgate serve` makes of the route's ingress-nginx annotations.
            let local = IngressNginxAnnotations.assess(route.metadata.annotations)
            if let refusal = local.refusal { d.add("Not served locally", refusal) }
            if !local.notAppliedLocally.isEmpty { d.add("Not applied locally", lines: local.notAppliedLocally) }
            emit(d.text)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a route.",
            discussion: """
                Each --rule is HOST/PATH=SERVICE:PORT, e.g. demo.kubesphere.io/=nginx:80 or \
                shop.example.com/api=api:http. With --auto-domain a rule may leave out its host \
                (/=nginx:80): it becomes <service>.<project>.<gateway address>.<base>.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace); with one argument, the route.") var project: String?
        @Argument(help: "The route.") var name: String?
        @Option(name: .customLong("rule"), help: ArgumentHelp("HOST/PATH=SERVICE:PORT (repeatable).", valueName: "rule"))
        var rules: [String] = []
        @Option(name: .customLong("tls"), help: ArgumentHelp("Serve HOST over https with a TLS secret (repeatable).", valueName: "host=secret"))
        var tls: [String] = []
        @Flag(help: "Generate the host of rules that give none from the gateway's address.") var autoDomain = false
        @Option(help: "ImplementationSpecific (KubeSphere's), Prefix or Exact.") var pathType = "ImplementationSpecific"
        @Option(help: "Display name (at most 63 characters).") var alias: String?
        @Option(help: "Description (at most 256 characters).") var description: String?
        @Option(name: .customLong("annotation"), help: ArgumentHelp("An annotation (repeatable).", valueName: "key=value"))
        var annotations: [String] = []
        @Option(name: .customLong("label"), help: ArgumentHelp("A label (repeatable).", valueName: "key=value"))
        var labels: [String] = []
        @Option(help: "The IngressClass.") var ingressClass: String?

        func run() async throws {
            let (project, name) = try global.projectAndName(self.project, self.name, naming: "route")
            guard !rules.isEmpty else { throw ValidationError("--rule: a route needs at least one rule") }
            // KubeSphere's form rule, beyond the API's: a route name has no '.'.
            let nameReasons = Validate.routeName(name)
            if !nameReasons.isEmpty {
                throw Refusal(StoreError.invalid(object: "Ingress \(project)/\(name)", errors: nameReasons.map { FieldError("metadata.name", $0) }))
            }
            guard let pathKind = PathType(rawValue: pathType) else {
                throw ValidationError("--path-type: must be Exact, Prefix or ImplementationSpecific, not \"\(pathType)\"")
            }
            let specs = try rules.map { try RuleArgument(parsing: $0) }
            let tlsHosts = try parseAssignments(tls, option: "--tls")
            let store = try await global.openStore()
            let inventory = try await loadInventory(store)
            let gateway = inventory.gateway(project: project).map { GatewayView(gateway: $0, nodes: inventory.nodes) }
            var route = Route(
                metadata: ObjectMeta(
                    name: name, namespace: project, labels: try parseAssignments(labels, option: "--label"),
                    annotations: try parseAssignments(annotations, option: "--annotation")),
                ingressClassName: ingressClass, rules: [])
            route.alias = alias
            route.description = description
            if gateway?.governance == true { route.metadata.annotations[KubeSphereAnnotation.serviceUpstream] = "true" }
            for spec in specs {
                var host = spec.host
                if host.isEmpty, autoDomain {
                    guard
                        let generated = AutoDomain.host(
                            service: spec.service, project: project, gateway: gateway, base: inventory.settings.autoDomainBase)
                    else {
                        throw Refusal("--auto-domain: the gateway of \(project) has no address yet, so no host can be generated; set the gateway first")
                    }
                    host = generated
                }
                let path = RoutePath(path: spec.path, pathType: pathKind, backend: spec.backend)
                if let index = route.rules.firstIndex(where: { $0.host == host }) {
                    route.rules[index].paths.append(path)
                } else {
                    route.rules.append(RouteRule(host: host, paths: [path]))
                }
            }
            let secrets = Dictionary(grouping: tlsHosts, by: { $0.value })
            route.tls = secrets.keys.sorted().map { secret in
                RouteTLS(hosts: (secrets[secret] ?? []).map(\.key).sorted(), secretName: secret)
            }
            let created = try await perform { () async throws(StoreError) in try await store.createRoute(route) }
            emit("route \(project)/\(created.name) created")
            // Kubernetes accepts a backend that does not exist (yet); say so rather than refuse.
            let services = Set(inventory.services(project: project).map(\.name))
            for missing in Set(specs.map(\.service)).subtracting(services).sorted() {
                printWarning("project \(project) has no service \(missing) (yet); its paths answer 503 until it exists")
            }
            // A path another route claimed first is not served: a warning, not a refusal, as
            // Kubernetes admits such a route too.
            let conflicts = PathConflicts.Claims(routes: inventory.routes(project: project), servedClass: gateway?.ingressClass)
                .conflicts(of: created)
            for url in AccessURL.all(route: created, gateway: gateway, conflicts: conflicts) {
                if let reason = url.notServed {
                    printWarning("\(url.host.isEmpty ? "*" : url.host)\(url.path) is \(reason)")
                } else {
                    emit("  \(url.url ?? "\(url.scheme)://\(url.host)\(url.path) (no URL until the gateway is set)")")
                }
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update routes from Ingress manifests.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
        @Option(name: .shortAndLong, help: ArgumentHelp("The file, or - for standard input.", valueName: "file"))
        var filename: String

        func run() async throws {
            let project = try global.project(self.project)
            let objects = try readManifests(filename)
            let routes = try objects.map { object -> KubeObject in
                guard case .route(var route) = object else {
                    throw Refusal("\(object.reference): route apply takes Ingress objects only (use `kgate apply` for other kinds)")
                }
                if route.metadata.namespace.isEmpty { route.metadata.namespace = project }
                guard route.namespace == project else {
                    throw Refusal("\(object.reference): metadata.namespace is \(route.namespace), not the project \(project)")
                }
                return .route(route)
            }
            let store = try await global.openStore()
            let outcomes = try await perform { () async throws(StoreError) in try await store.apply(routes) }
            for outcome in outcomes { emit("\(outcome.reference) \(outcome.action.rawValue)") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a route.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace); with one argument, the route.") var project: String?
        @Argument(help: "The route.") var name: String?

        func run() async throws {
            let (project, name) = try global.projectAndName(self.project, self.name, naming: "route")
            let store = try await global.openStore()
            try await perform { () async throws(StoreError) in try await store.deleteRoute(project: project, name: name) }
            emit("route \(project)/\(name) deleted")
        }
    }
}

/// One `--rule HOST/PATH=SERVICE:PORT`.
struct RuleArgument {
    var host: String
    var path: String
    var service: String
    var backend: RouteBackend

    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("--rule: must be HOST/PATH=SERVICE:PORT, not \"\(text)\"")
        }
        let left = text[..<equals]
        let right = text[text.index(after: equals)...]
        if let slash = left.firstIndex(of: "/") {
            host = String(left[..<slash])
            path = String(left[slash...])
        } else {
            host = String(left)
            path = "/"
        }
        guard let colon = right.lastIndex(of: ":"), colon != right.startIndex, right.index(after: colon) != right.endIndex
        else {
            throw ValidationError("--rule: the backend must be SERVICE:PORT, not \"\(right)\" in \"\(text)\"")
        }
        let name = String(right[..<colon])
        let port = String(right[right.index(after: colon)...])
        service = name
        if let number = Int(port) {
            backend = RouteBackend(service: name, portNumber: number)
        } else {
            backend = RouteBackend(service: name, portName: port)
        }
    }
}

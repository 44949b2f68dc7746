import ArgumentParser
import Foundation
import GatewayKit

struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Show, set, delete or upgrade a project's gateway; print its logs and traffic.",
        subcommands: [Show.self, Set.self, Delete.self, Upgrade.self, Logs.self, Traffic.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a project's gateway: access method, addresses, node ports, URLs.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
        @Option(name: .shortAndLong, help: "table, yaml or json.") var output: OutputFormat = .table

        func run() async throws {
            let project = try global.project(self.project)
            let store = try await global.openStore()
            let inventory = try await loadInventory(store, project: project)
            if inventory.gateway(project: project) == nil, let cluster = inventory.clusterGateway {
                // KubeSphere's cluster gateway serves every project without a gateway of its own.
                let view = GatewayView(gateway: cluster, nodes: inventory.nodes)
                if output != .table {
                    emit(ViewShapes.text(ViewShapes.gateway(view, gateway: cluster), format: output))
                    return
                }
                emit("Served By:  cluster gateway \(cluster.namespace)/\(cluster.name) (KubeSphere allows no project gateway while it exists)")
                emit(GatewayDescription.text(view, routes: inventory.routes(project: project)))
                return
            }
            guard let gateway = inventory.gateway(project: project) else {
                throw Refusal("project \(project) has no gateway (Gateway Not Set); set one with `kgate gateway set \(project) --type NodePort`")
            }
            let view = GatewayView(gateway: gateway, nodes: inventory.nodes)
            if output != .table {
                emit(ViewShapes.text(ViewShapes.gateway(view, gateway: gateway), format: output))
                return
            }
            emit(GatewayDescription.text(view, routes: inventory.routes(project: project)))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a project's gateway (create it, or change it keeping its node ports).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
        @Option(help: "NodePort or LoadBalancer.") var type: String
        // `.unconditional`: `--http-node-port -1` is a value to validate, not an unknown flag.
        @Option(parsing: .unconditional, help: "The HTTP node port (default: kept, or allocated). Refused on a KubeSphere 3.2+ cluster, where Kubernetes assigns it.")
        var httpNodePort: Int?
        @Option(parsing: .unconditional, help: "The HTTPS node port (default: kept, or allocated). Refused on a KubeSphere 3.2+ cluster, where Kubernetes assigns it.")
        var httpsNodePort: Int?
        @Option(name: .customLong("annotation"), help: ArgumentHelp("A Service annotation for the LoadBalancer provider (repeatable).", valueName: "key=value"))
        var annotations: [String] = []
        @Flag(inversion: .prefixedNo, help: "Application governance (tracing).") var governance: Bool?
        @Option(help: "Controller replicas.") var replicas: Int?
        @Option(name: .shortAndLong, help: "table, yaml or json.") var output: OutputFormat = .table

        func run() async throws {
            let project = try global.project(self.project)
            guard let gatewayType = GatewayType(exactly: type) else {
                throw Refusal("spec.service.type: Unsupported value: \"\(type)\": supported values: \"LoadBalancer\", \"NodePort\"")
            }
            let parsedAnnotations = try parseAssignments(annotations, option: "--annotation")
            let store = try await global.openStore()
            let request = GatewayRequest(
                project: project, type: gatewayType, httpNodePort: httpNodePort, httpsNodePort: httpsNodePort,
                annotations: annotations.isEmpty ? nil : parsedAnnotations, governance: governance, replicas: replicas)
            let change = try await perform { () async throws(StoreError) in try await store.setGateway(request) }
            let inventory = try await loadInventory(store)
            let view = GatewayView(gateway: change.gateway, nodes: inventory.nodes)
            if output != .table {
                emit(ViewShapes.text(ViewShapes.gateway(view, gateway: change.gateway), format: output))
            } else {
                emit("gateway \(change.gateway.name) set: \(view.type.rawValue), \(view.nodePortSummary), \(view.status.name)")
                for url in view.urls { emit("  \(url)") }
                if let reason = view.status.reason { emit("  \(view.status.name.lowercased()): \(reason)") }
            }
            for stale in change.staleHosts {
                printWarning("\(stale)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a project's gateway (its routes stay).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?

        func run() async throws {
            let project = try global.project(self.project)
            let store = try await global.openStore()
            try await perform { () async throws(StoreError) in try await store.deleteGateway(project: project) }
            emit("gateway \(Gateway.name(project: project)) deleted")
        }
    }
}

extension GatewayCommand {
    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upgrade a project's legacy gateway (KubeSphere 2.1–3.1 router) to a Gateway CR, as KubeSphere 3.2+ does.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project.") var project: String

        func run() async throws {
            let store = try await global.openStore()
            let gateway = try await perform { () async throws(StoreError) in try await store.upgradeGateway(project: project) }
            let inventory = try await loadInventory(store)
            let view = GatewayView(gateway: gateway, nodes: inventory.nodes)
            emit("gateway \(gateway.name) upgraded to a Gateway CR: \(view.type.rawValue), \(view.nodePortSummary), \(view.status.name)")
            if let reason = view.status.reason { emit("  \(view.status.name.lowercased()): \(reason)") }
        }
    }
}

/// `key=value` arguments as a dictionary; a malformed one is a usage error naming the option.
func parseAssignments(_ items: [String], option: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for item in items {
        guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
            throw ValidationError("\(option): must be key=value, not \"\(item)\"")
        }
        result[String(item[..<equals])] = String(item[item.index(after: equals)...])
    }
    return result
}

/// Warns on stderr about manifests that did not load.
func reportProblems(_ inventory: Inventory) {
    for problem in inventory.problems {
        printWarning("\(problem) (this file is skipped)")
    }
    for warning in inventory.warnings {
        printWarning(warning)
    }
}

/// The gateway as `kubectl describe` would print it, with KubeSphere's card labels.
enum GatewayDescription {
    static func text(_ view: GatewayView, routes: [Route]) -> String {
        var d = Description()
        d.add("Project", view.project)
        d.add("Access Method", view.type.rawValue)
        d.add("Status", view.status.name + (view.status.reason.map { " (\($0))" } ?? ""))
        let addressLabel = view.type == .nodePort ? "Gateway Address" : "External Address"
        d.add(addressLabel, lines: view.addresses.map { a in "\(a.address) (\(a.kind.rawValue)\(a.node.map { ", \($0)" } ?? ""))" })
        d.add("Node Port", view.nodePortSummary)
        d.add("Application Governance", view.governance ? "On" : "Off")
        d.add("Replicas", String(view.replicas))
        d.add("Annotations", lines: view.annotations.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        d.add("Config", lines: view.config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        d.add("Access URLs", lines: view.urls)
        let conflicts = PathConflicts.find(routes: routes, servedClass: view.ingressClass)
        let routeURLs = routes.flatMap { route in
            if let reason = IngressClass.notServedReason(route, servedClass: view.ingressClass) { return ["\(reason)  (\(route.name))"] }
            return AccessURL.all(route: route, gateway: view, conflicts: conflicts).compactMap { url in
                (url.url ?? url.notServed.map { "\(url.host.isEmpty ? "*" : url.host)\(url.path) \($0)" }).map { "\($0)  (\(route.name))" }
            }
        }
        d.add("Route URLs", lines: routeURLs)
        return d.text
    }
}

import ArgumentParser
import Foundation
import GatewayKit
import GatewayRuntime

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the objects a project's gateway and routes are made of.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case kubernetes, nginx, gatewayAPI = "gateway-api" }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
    @Option(help: "kubernetes (the manifests), nginx (the local gateway's nginx.conf) or gateway-api (the routes as Gateway API objects).") var format: Format = .kubernetes
    @Option(name: .shortAndLong, help: "yaml or json (kubernetes and gateway-api formats).") var output: OutputFormat = .yaml
    @Option(help: ArgumentHelp("The address serve would listen on (nginx format).", valueName: "ip")) var listen = "127.0.0.1"
    @Option(help: ArgumentHelp("The runtime folder serve would use (nginx format).", valueName: "dir")) var runtimeDir: String?

    func run() async throws {
        let project = try global.project(self.project)
        let store = try await global.openStore()
        let inventory = try await loadInventory(store, project: project)
        switch format {
        case .nginx:
            // Exactly what `kgate serve --project P` would run, decided by the same code
            // (TLS secrets tried with nginx -t, demo backends, notes on stderr); the
            // certificate and key are named, never printed.
            let folder = try ServeCommand.runtimeFolder(runtimeDir, workspace: global.workspacePath, project: project, prepare: false)
            do {
                let rendered = try await LocalGateway.render(
                    store: store, selection: .project(project), listen: NginxListen(address: listen),
                    layout: NginxLayout(folder: folder), nginx: NginxBinary.locate())
                for note in rendered.notes { printError("kgate render: \(note)") }
                emit(rendered.config)
            } catch {
                throw Refusal(error.message)
            }
        case .gatewayAPI:
            // What has no Gateway API equivalent goes to stderr, one line each, so that
            // stdout stays objects that can be applied.
            let set = GatewayAPIConversion.convert(inventory, project: project)
            for note in set.notes { printError("kgate render: \(note)") }
            // The conversion is meant to make only valid objects; if it did not, nothing is printed.
            let invalid = GatewayAPIValidator.errors(set)
            guard invalid.isEmpty else {
                throw Refusal("the Gateway API objects of \(project) are invalid:\n" + invalid.map { "  " + $0 }.joined(separator: "\n"))
            }
            emit(output == .json ? GatewayAPIRenderer.json(set) : GatewayAPIRenderer.yaml(set))
        case .kubernetes:
            let gatewayObjects = inventory.gateway(project: project).map {
                ManifestRenderer.gatewayObjects($0, flavor: inventory.settings.gatewayFlavor)
            } ?? []
            let objects = gatewayObjects + inventory.routes(project: project).map(KubeObject.route)
            guard !objects.isEmpty else { throw Refusal("project \(project) has no gateway and no routes to render") }
            emit(output == .json ? ManifestRenderer.json(objects) : ManifestRenderer.yaml(objects))
        }
    }
}

import ArgumentParser
import GatewayKit
import GatewayRuntime

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the objects a project's gateway and routes are made of.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case kubernetes, nginx }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The project.") var project: String
    @Option(help: "kubernetes (the manifests) or nginx (the local gateway's nginx.conf).") var format: Format = .kubernetes
    @Option(name: .shortAndLong, help: "yaml or json (kubernetes format).") var output: OutputFormat = .yaml

    func run() async throws {
        let store = try global.openStore()
        let inventory = try await loadInventory(store, project: project)
        switch format {
        case .nginx:
            // The paths are those `kgate serve --project P` would use with the default
            // runtime folder; the certificate and key are named, never printed.
            let layout = NginxLayout(folder: ServeCommand.defaultRuntimeFolder(workspace: global.workspacePath, project: project))
            do {
                emit(try NginxConfig.render(project: project, inventory: inventory, layout: layout))
            } catch {
                throw Refusal(error.message)
            }
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

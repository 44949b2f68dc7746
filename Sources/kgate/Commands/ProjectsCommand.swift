import ArgumentParser
import GatewayKit

struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "List projects with their gateway and route count.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: "table, yaml or json.")
    var output: OutputFormat = .table

    func run() async throws {
        let store = try global.openStore()
        let inventory = try await loadInventory(store)
        let projects = inventory.userProjects
        if output != .table {
            emit(ViewShapes.text(.list(projects.map { ViewShapes.project($0, inventory: inventory) }), format: output))
            return
        }
        var table = TextTable("NAME", "ALIAS", "GATEWAY", "STATUS", "ROUTES")
        for project in projects {
            let view = inventory.gateway(project: project.name).map { GatewayView(gateway: $0, nodes: inventory.nodes) }
            table.add(
                project.name, project.alias ?? "-", view?.type.rawValue ?? "Not Set", view?.status.name ?? "-",
                String(inventory.routes(project: project.name).count))
        }
        emit(table.text)
    }
}

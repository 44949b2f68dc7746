import ArgumentParser
import Console
import GatewayKit

struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "List projects with their gateway and route count.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: "table, yaml or json.")
    var output: OutputFormat = .table

    func run() async throws {
        let store = try await global.openStore()
        let inventory = try await loadInventory(store)
        let projects = inventory.userProjects
        if output != .table {
            emit(ViewShapes.text(.list(projects.map { ViewShapes.project($0, inventory: inventory) }), format: output))
            return
        }
        // The console's project list and this table are made from the same rows.
        var table = TextTable(headers: ProjectRow.titles)
        for row in ProjectRow.rows(inventory) { table.rows.append(row.cells) }
        emit(table.text)
    }
}

import ArgumentParser
import GatewayKit
import GatewayRuntime
import GatewayStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a workspace (empty, or the demo with --demo).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Fill the workspace with the demo projects, node, services and routes.")
    var demo = false

    @Option(help: ArgumentHelp("Node port range, as LOW-HIGH.", valueName: "range"))
    var nodePortRange = "30000-32767"

    @Option(help: "Base domain of auto-generated hosts (nip.io, sslip.io, or your own wildcard DNS zone).")
    var autoDomainBase = "nip.io"

    @Option(help: ArgumentHelp("How gateways are stored: Gateway (KubeSphere 3.2+) or Router (legacy).", valueName: "flavor"))
    var gatewayFlavor = "Gateway"

    func run() async throws {
        let store = try global.openWorkspace()
        var settings = WorkspaceSettings(autoDomainBase: autoDomainBase)
        let bounds = nodePortRange.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw ValidationError("--node-port-range: must be LOW-HIGH, such as 30000-32767, not \"\(nodePortRange)\"")
        }
        settings.nodePortRange = bounds[0]...bounds[1]
        guard let flavor = GatewayFlavor(rawValue: gatewayFlavor) else {
            throw ValidationError("--gateway-flavor: must be Gateway or Router, not \"\(gatewayFlavor)\"")
        }
        settings.gatewayFlavor = flavor
        do {
            try store.initialize(demo: demo, settings: settings)
        } catch {
            throw Refusal(error)
        }
        if demo { try await installDemoCertificates(into: store) }
        emit("workspace created in \(store.root)" + (demo ? " with the demo" : ""))
    }
}

import ArgumentParser
import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore

extension GatewayCommand {
    /// `kgate gateway logs P`: the gateway controller's logs (cluster) or the local
    /// gateway's nginx access and error logs (workspace), every line escaped.
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the gateway's logs: the controller pods' (cluster) or kgate serve's nginx (workspace).",
            discussion: """
                On a cluster each line is prefixed with its pod; locally with `access` or \
                `error`. Control characters in a line are printed escaped, never sent to the terminal.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
        @Flag(name: .shortAndLong, help: "Keep printing lines as they are written (Ctrl-C stops).") var follow = false
        @Option(help: "Print the last N lines only (default: all).") var tail: Int?
        @Option(help: ArgumentHelp("Only lines written within this duration, such as 30s, 5m or 1h.", valueName: "duration"))
        var since: String?
        @Option(help: ArgumentHelp("The local gateway's runtime folder, as given to kgate serve.", valueName: "dir"))
        var runtimeDir: String?

        func validate() throws {
            if let tail, tail < 0 { throw ValidationError("--tail: must be 0 or more, not \(tail)") }
            if let since { _ = try GatewayActivityOptions.duration(since, option: "--since") }
        }

        func run() async throws {
            let project = try global.project(self.project)
            let sinceDuration = try since.map { try GatewayActivityOptions.duration($0, option: "--since") }
            let activity = try await GatewayActivityOptions.source(global, project: project, runtimeDir: runtimeDir)
            for await event in activity.logs(project: project, tail: tail, since: sinceDuration, follow: follow) {
                switch event {
                case .line(let line): emit(GatewayActivityOptions.printed(line))
                case .failed(let reason): throw Refusal("logs of project \(project): \(reason)")
                }
            }
        }
    }

    /// `kgate gateway traffic P`: requests per route path over a window.
    struct Traffic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show requests, status classes and latency per route path over a window.",
            discussion: """
                Cluster: from KubeSphere's Prometheus (ingress-nginx metrics), through the API \
                server. Workspace: from the access log of the nginx kgate serve runs. The JSON \
                shape is described in the README.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project (default: the kubeconfig context's namespace).") var project: String?
        @Option(name: .shortAndLong, help: "table or json.") var output: TrafficFormat = .table
        @Option(help: ArgumentHelp("The window the figures cover, such as 1m, 5m or 1h.", valueName: "duration"))
        var window = "5m"
        @Option(help: ArgumentHelp("The local gateway's runtime folder, as given to kgate serve.", valueName: "dir"))
        var runtimeDir: String?

        func validate() throws { _ = try GatewayActivityOptions.duration(window, option: "--window") }

        func run() async throws {
            let project = try global.project(self.project)
            let duration = try GatewayActivityOptions.duration(window, option: "--window")
            let activity = try await GatewayActivityOptions.source(global, project: project, runtimeDir: runtimeDir)
            let report = try await perform { () async throws(StoreError) in try await activity.traffic(project: project, window: duration) }
            switch output {
            case .json: emit(try TrafficText.json(report))
            case .table: emit(TrafficText.table(report))
            }
        }
    }
}

enum TrafficFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// What `logs` and `traffic` share: the source for the options, durations, printing.
enum GatewayActivityOptions {
    /// The cluster's activity with `--kubeconfig`/`--context`, else the local gateway's.
    /// The project must exist (a typo is "not found", not an empty log).
    static func source(_ global: GlobalOptions, project: String, runtimeDir: String?) async throws -> any GatewayActivitySource {
        let store = try await global.openStore(createDemo: false)
        _ = try await loadInventory(store, project: project)
        return try activity(global, runtimeDir: runtimeDir)
    }

    /// The activity source the options name, for commands and the console; a cluster's
    /// through its own connection (the store may be wrapped for auditing).
    static func activity(
        _ global: GlobalOptions, runtimeDir: String? = nil,
        pluginEvents: @escaping @Sendable (CredentialPluginEvent) -> Void = printPluginEvent
    ) throws -> any GatewayActivitySource {
        if global.usesCluster {
            do {
                return try KubernetesStore.open(
                    kubeconfig: global.kubeconfig.map(ServeCommand.absolute), context: global.context, readOnly: true,
                    plugins: CredentialPluginPolicy(onEvent: pluginEvents)
                ).activity()
            } catch {
                throw Refusal(error.description)
            }
        }
        if let runtimeDir { return LocalGatewayActivity(runtimeFolder: ServeCommand.absolute(runtimeDir)) }
        return LocalGatewayActivity(workspace: global.workspacePath, environment: ProcessInfo.processInfo.environment)
    }

    static func duration(_ text: String, option: String) throws -> Duration {
        do {
            return try DurationText.parse(text, option: option)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `[source] text`, escaped: a log line is whatever a client or a pod wrote.
    static func printed(_ line: GatewayLogLine) -> String {
        "[\(TerminalText.escaped(line.source))] \(TerminalText.escaped(line.text))"
    }
}

/// `kgate gateway traffic`'s two outputs.
enum TrafficText {
    /// The `TrafficReport` shape, keys sorted (documented in the README).
    static func json(_ report: TrafficReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func table(_ report: TrafficReport) -> String {
        var table = TextTable("ROUTE", "HOST", "PATH", "REQUESTS", "REQ/S", "2XX", "3XX", "4XX", "5XX", "P50", "P95", "P99")
        for route in report.routes {
            table.rows.append(
                [route.route, route.host.isEmpty ? "*" : route.host, route.path, String(route.requests), rate(route.ratePerSecond)]
                    + classes(route.status) + [ms(route.latencyMs.p50), ms(route.latencyMs.p95), ms(route.latencyMs.p99)])
        }
        let unmatched = report.unmatched
        table.rows.append(
            ["(no route)", "", "", String(unmatched.requests), rate(Double(unmatched.requests) / Double(max(1, report.windowSeconds)))]
                + classes(unmatched.status) + ["-", "-", "-"])
        table.rows = table.rows.map { $0.map(TerminalText.escaped) }
        var text = table.text + "\nwindow: \(DurationText.text(.seconds(report.windowSeconds)))"
        if let reason = report.unavailable { text += "\nnote: \(TerminalText.escaped(reason))" }
        return text
    }

    private static func classes(_ status: StatusClasses) -> [String] {
        [status.success, status.redirect, status.clientError, status.serverError].map(String.init)
    }

    private static func rate(_ value: Double) -> String { String(format: "%.2f", value) }

    private static func ms(_ value: Double?) -> String { value.map { String(format: "%.1fms", $0) } ?? "-" }
}

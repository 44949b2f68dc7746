import Foundation
import GatewayKit
import Terminal

/// The gateway detail's Monitoring: for every route path and for the requests no route
/// claimed, requests, requests/s, responses by class and latency percentiles over the last
/// minute, polled every second while shown; below, sparklines of requests/s, error rate
/// and p99 per route path, from the console's own history of polls.
struct GatewayMonitoringSection: Sendable {
    var document = DocumentSection()
    var history = TrafficHistory()
    /// False until the first answer.
    var loaded = false

    mutating func clampScroll(height: Int) { document.clampScroll(height: height) }

    mutating func take(_ result: Result<TrafficReport, StoreError>, theme: Theme) {
        loaded = true
        switch result {
        case .success(let report):
            history.record(report)
            document.lines = GatewayMonitoringSection.lines(report, history: history, theme: theme)
        case .failure(let error): document.showFailure("Traffic not read: \(error)", theme: theme)
        }
    }

    func bindings(height: Int) -> [KeyBinding<GatewayDetailScreen>] {
        document.scrollBindings(height: height, \GatewayDetailScreen.monitoring.document.scroll)
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        if let notice = ActivityNotice.text(state: state, loaded: loaded, what: "traffic") {
            ActivityNotice.draw(notice, state: state, in: rect, screen: &screen)
            return
        }
        document.draw(state, in: rect, screen: &screen)
    }

    static let tableWidths = [24, 7, 7, 5, 5, 5, 5, 6, 6]
    static let trendWidths = [24, 14, 14]

    static func lines(_ report: TrafficReport, history: TrafficHistory, theme: Theme) -> [DocumentLine] {
        let row = GatewayDetailScreen.row
        var lines: [DocumentLine] = []
        if let reason = report.unavailable {
            lines.append(DocumentLine("No traffic figures: \(TerminalText.escaped(reason))", theme.warning, indent: 1))
        }
        lines.append(
            DocumentLine(
                "Requests over the last \(report.windowSeconds)s, polled every second", theme.heading, indent: 1))
        lines.append(
            DocumentLine(
                row(["ROUTE PATH", "REQS", "REQ/S", "2XX", "3XX", "4XX", "5XX", "P50ms", "P95ms", "P99ms"], tableWidths), theme.label,
                indent: 1))
        if report.routes.isEmpty { lines.append(DocumentLine("No route paths.", theme.dim, indent: 1)) }
        for route in report.routes {
            let cells =
                [TrafficHistory.key(route), String(route.requests), Figures.rate(route.ratePerSecond)] + Figures.classes(route.status)
                + [Figures.millis(route.latencyMs.p50), Figures.millis(route.latencyMs.p95), Figures.millis(route.latencyMs.p99)]
            let failing = route.status.serverError > 0
            lines.append(DocumentLine(row(cells, tableWidths), failing ? theme.warning : theme.plain, indent: 1))
        }
        let unmatched = report.unmatched
        let rate = report.windowSeconds > 0 ? Double(unmatched.requests) / Double(report.windowSeconds) : 0
        lines.append(
            DocumentLine(
                row(["(no route)", String(unmatched.requests), Figures.rate(rate)] + Figures.classes(unmatched.status) + ["-", "-", "-"], tableWidths),
                theme.dim, indent: 1))

        lines.append(.blank)
        lines.append(DocumentLine("Trends, last \(Plural.count(history.polls, "poll"))", theme.heading, indent: 1))
        lines.append(DocumentLine(row(["ROUTE PATH", "REQ/S", "ERR% 4xx+5xx", "P99 ms"], trendWidths), theme.label, indent: 1))
        let sparkWidth = trendWidths[1] - 1
        for route in report.routes {
            let key = TrafficHistory.key(route)
            let samples = history.samples(of: key).suffix(sparkWidth)
            let spans = [
                Span(key.padded(to: trendWidths[0] - 1, ellipsis: "~") + " "),
                Span(Sparkline.text(samples.map(\.rate), width: sparkWidth, levels: theme.glyphs.sparkLevels) + " ", theme.success),
                Span(Sparkline.text(samples.map(\.errorRate), width: sparkWidth, levels: theme.glyphs.sparkLevels) + " ", theme.error),
                Span(Sparkline.text(samples.map(\.p99), width: sparkWidth, levels: theme.glyphs.sparkLevels), theme.key),
            ]
            lines.append(DocumentLine(spans, indent: 1))
        }
        return lines
    }
}

/// The console's own record of traffic polls: per route path, the last `limit` samples.
struct TrafficHistory: Hashable, Sendable {
    struct Sample: Hashable, Sendable {
        var rate: Double
        /// (4xx + 5xx) ÷ requests, in percent; nil without requests.
        var errorRate: Double?
        var p99: Double?
    }

    /// Samples kept per route path: a minute of polls.
    let limit: Int
    private var series: [String: [Sample]] = [:]
    private(set) var polls = 0

    init(limit: Int = 60) { self.limit = max(1, limit) }

    /// `host/path`, or the path alone for a route of any host.
    static func key(_ route: RouteTraffic) -> String {
        TerminalText.escaped(route.host.isEmpty ? route.path : route.host + route.path)
    }

    func samples(of key: String) -> [Sample] { series[key] ?? [] }

    mutating func record(_ report: TrafficReport) {
        polls += 1
        var seen: Set<String> = []
        for route in report.routes {
            let key = TrafficHistory.key(route)
            seen.insert(key)
            let errors = route.status.clientError + route.status.serverError
            let sample = Sample(
                rate: route.ratePerSecond,
                errorRate: route.requests > 0 ? Double(errors) * 100 / Double(route.requests) : nil, p99: route.latencyMs.p99)
            append(sample, to: key)
        }
        // Route paths gone from the report are forgotten, so the history stays bounded.
        for key in series.keys where !seen.contains(key) { series[key] = nil }
    }

    private mutating func append(_ sample: Sample, to key: String) {
        var samples = series[key] ?? []
        samples.append(sample)
        if samples.count > limit { samples.removeFirst(samples.count - limit) }
        series[key] = samples
    }
}

/// A row of block characters, one per value, scaled to the largest value; right-aligned
/// in `width`, a missing value drawn blank.
enum Sparkline {
    static func text<C: Collection>(_ values: C, width: Int, levels: [String]) -> String where C.Element == Double? {
        guard width > 0, !levels.isEmpty else { return "" }
        let shown = values.suffix(width)
        let largest = shown.compactMap { $0 }.max() ?? 0
        let top = levels.count - 1
        let marks = shown.map { value -> String in
            guard let value else { return " " }
            guard largest > 0 else { return levels[0] }
            return levels[min(top, max(0, Int((value / largest * Double(top)).rounded())))]
        }
        return String(repeating: " ", count: width - marks.count) + marks.joined()
    }
}

/// How the Monitoring section writes its numbers.
enum Figures {
    static func rate(_ value: Double) -> String { String(format: "%.1f", value) }

    static func millis(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
    }

    static func classes(_ status: StatusClasses) -> [String] {
        [status.success, status.redirect, status.clientError, status.serverError].map(String.init)
    }
}

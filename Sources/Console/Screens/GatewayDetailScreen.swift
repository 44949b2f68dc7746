import Foundation
import GatewayKit
import Terminal

/// Gateway detail: the one place for a project's gateway, in five sections reached with
/// Tab/Shift-Tab or 1–5: Overview (configuration, addresses, URLs, last change), Pods (who
/// serves it), Logs (followed live), Monitoring (traffic per route path) and YAML (the
/// rendered objects). The sections that show the gateway at work read the activity source
/// through subscriptions (`ActivitySubscription`), which the run loop stops as soon as the
/// section or the screen is left.
struct GatewayDetailScreen: ConsoleScreen {
    var project: String
    var section: GatewaySection = .overview
    var overview: GatewayOverviewSection
    var pods = GatewayPodsSection()
    var logs = GatewayLogsSection()
    var monitoring = GatewayMonitoringSection()
    var yaml: GatewayYAMLSection

    init(project: String, state: ConsoleState) {
        self.project = project
        overview = GatewayOverviewSection(project: project, state: state)
        yaml = GatewayYAMLSection(project: project, state: state)
    }

    var id: ScreenID { .gatewayDetail }

    var isTyping: Bool { section == .logs && logs.searching }

    /// Rows a section has: the body less the section tabs.
    static func sectionHeight(_ state: ConsoleState) -> Int { max(0, state.bodyHeight - 1) }

    mutating func refresh(_ state: ConsoleState) {
        overview = GatewayOverviewSection(project: project, state: state, scroll: overview.scroll)
        yaml = GatewayYAMLSection(project: project, state: state, scroll: yaml.scroll)
        resized(state)
    }

    /// The Overview again, with the last change as now known.
    mutating func refreshOverview(_ state: ConsoleState) {
        overview = GatewayOverviewSection(project: project, state: state, scroll: overview.scroll)
    }

    mutating func resized(_ state: ConsoleState) {
        let height = GatewayDetailScreen.sectionHeight(state)
        overview.clampScroll(height: height)
        yaml.clampScroll(height: height)
        pods.clampScroll(height: height)
        monitoring.clampScroll(height: height)
    }

    /// A subscription's result, for the section it feeds (ignored once that section is reset).
    mutating func take(_ payload: ActivityPayload, theme: Theme) {
        switch payload {
        case .health(let result, let time): pods.take(result, at: time, theme: theme)
        case .logs(let events, let ended): logs.take(events, ended: ended)
        case .traffic(let result): monitoring.take(result, theme: theme)
        case .lastChange: break
        }
    }

    /// Opens a section; the Logs section starts afresh (its stream is asked for again).
    mutating func open(_ next: GatewaySection) {
        guard next != section else { return }
        if next == .logs { logs = GatewayLogsSection() }
        section = next
    }

    func bindings(_ state: ConsoleState) -> [KeyBinding<GatewayDetailScreen>] {
        if section == .logs, logs.searching { return GatewayLogsSection.searchBindings(state) }
        let height = GatewayDetailScreen.sectionHeight(state)
        let own: [KeyBinding<GatewayDetailScreen>]
        switch section {
        case .overview: own = overview.bindings(height: height)
        case .pods: own = pods.bindings(height: height)
        case .logs: own = logs.bindings(height: height)
        case .monitoring: own = monitoring.bindings(height: height)
        case .yaml: own = yaml.bindings(height: height)
        }
        return GatewayDetailScreen.sectionKeys + own + [
            KeyBinding([.character("s")], "edit gateway", writes: true, footer: section == .overview) { _, state, _ in
                state.openSetGateway()
                return []
            },
            KeyBinding([.character("r")], "routes", footer: section == .overview) { _, state, _ in
                state.openRoutes()
                return []
            },
            .back(),
        ] + KeyBinding.common
    }

    /// Typing into the Logs search; Backspace on an empty search closes it.
    mutating func handleUnbound(_ key: Key, _ state: inout ConsoleState) -> [Effect] {
        guard section == .logs, logs.searching else { return [] }
        if key == .backspace, logs.query.text.isEmpty {
            logs.searching = false
        } else {
            _ = logs.query.handle(key)
        }
        return []
    }

    /// Tab/Shift-Tab and 1–5: the sections.
    static let sectionKeys: [KeyBinding<GatewayDetailScreen>] = [
        KeyBinding([.tab, .backTab], "next/previous section") { screen, _, key in
            let all = GatewaySection.allCases
            let step = key == .tab ? 1 : all.count - 1
            screen.open(all[(screen.section.rawValue + step) % all.count])
            return []
        },
        KeyBinding(
            [], more: GatewaySection.allCases.map { .character(Character(String($0.rawValue + 1))) },
            "sections: " + GatewaySection.allCases.map(\.title).joined(separator: " "),
            footer: false
        ) { screen, _, key in
            if case .character(let c) = key, let number = c.wholeNumberValue, let next = GatewaySection(rawValue: number - 1) {
                screen.open(next)
            }
            return []
        },
    ]

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard rect.height > 0, rect.width > 0 else { return }
        drawTabs(state, in: rect, screen: &screen)
        let body = rect.inset(top: 1)
        switch section {
        case .overview: overview.draw(state, in: body, screen: &screen)
        case .pods: pods.draw(state, in: body, screen: &screen)
        case .logs: logs.draw(state, in: body, screen: &screen)
        case .monitoring: monitoring.draw(state, in: body, screen: &screen)
        case .yaml: yaml.draw(state, in: body, screen: &screen)
        }
    }

    /// ` 1 Overview  2 Pods  3 Logs  4 Monitoring  5 YAML`, the open one highlighted.
    private func drawTabs(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        let theme = state.theme
        var x = rect.x + 1
        for tab in GatewaySection.allCases {
            guard x < rect.maxX else { break }
            let label = " \(tab.rawValue + 1) \(tab.title) "
            x += screen.draw(
                label, x: x, y: rect.y, width: rect.maxX - x, style: tab == section ? theme.selected : theme.label,
                ellipsis: theme.glyphs.ellipsis)
        }
    }

    /// Cells padded to `widths` (the last cell unpadded): a table as text lines.
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        cells.enumerated().map { index, cell in
            index < widths.count ? cell.padded(to: widths[index] - 1, ellipsis: "~") + " " : cell
        }.joined()
    }

    static func heading(_ title: String, theme: Theme, header: String? = nil) -> [DocumentLine] {
        var lines: [DocumentLine] = [.blank, DocumentLine(title, theme.heading, indent: 1)]
        if let header { lines.append(DocumentLine(header, theme.label, indent: 3)) }
        return lines
    }
}

/// The gateway detail's sections, in the order of their number keys.
enum GatewaySection: Int, CaseIterable, Hashable, Sendable {
    case overview, pods, logs, monitoring, yaml

    var title: String {
        switch self {
        case .overview: "Overview"
        case .pods: "Pods"
        case .logs: "Logs"
        case .monitoring: "Monitoring"
        case .yaml: "YAML"
        }
    }
}

/// A section that is a scrollable document: its lines are built when its data arrives,
/// never per key or frame.
struct DocumentSection: Hashable, Sendable {
    var lines: [DocumentLine] = []
    var scroll = 0

    mutating func clampScroll(height: Int) {
        scroll = min(scroll, Document.maxOffset(count: lines.count, height: height))
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        Document.draw(lines, offset: scroll, in: rect, screen: &screen, theme: state.theme)
    }

    /// The scroll keys of the section whose document `path` names.
    func scrollBindings(
        height: Int, _ path: WritableKeyPath<GatewayDetailScreen, Int> & Sendable, endsInFooter: Bool = false
    ) -> [KeyBinding<GatewayDetailScreen>] {
        Scrolling.bindings(limit: Document.maxOffset(count: lines.count, height: height), height: height, path, endsInFooter: endsInFooter)
    }

    /// A source's failure on the first line, the last figures kept readable under it (a
    /// failure before replaces the one before, never stacks).
    mutating func showFailure(_ message: String, theme: Theme) {
        let kept = lines.drop { $0.spans.first?.style == theme.error }
        lines = [DocumentLine(TerminalText.escaped(message), theme.error, indent: 1)] + kept
    }
}

/// Scroll keys shared by the document screens.
enum Scrolling {
    static func apply(_ key: Key, offset: Int, limit: Int, height: Int) -> Int {
        let page = max(1, height - 1)
        let next: Int
        switch key {
        case .up, .character("k"): next = offset - 1
        case .down, .character("j"): next = offset + 1
        case .pageUp, .ctrl("b"): next = offset - page
        case .pageDown, .ctrl("f"), .character(" "): next = offset + page
        case .home, .character("g"): next = 0
        case .end, .character("G"): next = limit
        default: next = offset
        }
        return min(max(0, next), limit)
    }
}

extension Scrolling {
    /// The scroll keys as bindings of a screen whose offset is at `offset`.
    static func bindings<S>(
        limit: Int, height: Int, _ offset: WritableKeyPath<S, Int> & Sendable, endsInFooter: Bool = true
    ) -> [KeyBinding<S>] {
        let scroll: KeyBinding<S>.Action = { screen, _, key in
            screen[keyPath: offset] = Scrolling.apply(key, offset: screen[keyPath: offset], limit: limit, height: height)
            return []
        }
        return [
            KeyBinding([.up, .down, .character("j"), .character("k")], "scroll", action: scroll),
            KeyBinding(
                [.pageUp, .pageDown], more: [.ctrl("b"), .ctrl("f"), .character(" ")], "page", footer: false, action: scroll),
            KeyBinding(
                [.character("g"), .character("G")], more: [.home, .end], "top/bottom", footer: endsInFooter, action: scroll),
        ]
    }
}

extension ScreenID {
    static let gatewayDetail = ScreenID(title: "Gateway")
}

import Foundation
import GatewayKit
import Terminal

/// The gateway detail's Pods: who serves the gateway. On a cluster, the controller's pods
/// (name, ready, phase, restarts, node, age and why a container fails) and the events of
/// the gateway's objects; for the local gateway, whether `kgate serve` serves the project,
/// its nginx master and workers, and the last reload and its error. Polled while shown.
struct GatewayPodsSection: Hashable, Sendable {
    var document = DocumentSection()
    /// False until the first answer: the section says it is loading.
    var loaded = false

    mutating func clampScroll(height: Int) { document.clampScroll(height: height) }

    mutating func take(_ result: Result<GatewayHealth, StoreError>, at time: Date, theme: Theme) {
        loaded = true
        switch result {
        case .success(let health): document.lines = GatewayPodsSection.lines(health, now: time, theme: theme)
        case .failure(let error): document.showFailure("Health not read: \(error)", theme: theme)
        }
    }

    func bindings(height: Int) -> [KeyBinding<GatewayDetailScreen>] {
        document.scrollBindings(height: height, \GatewayDetailScreen.pods.document.scroll)
    }

    func draw(_ state: ConsoleState, in rect: Rect, screen: inout Screen) {
        if let notice = ActivityNotice.text(state: state, loaded: loaded, what: "pods and events") {
            ActivityNotice.draw(notice, state: state, in: rect, screen: &screen)
            return
        }
        document.draw(state, in: rect, screen: &screen)
    }

    static func lines(_ health: GatewayHealth, now: Date, theme: Theme) -> [DocumentLine] {
        let width = 24
        let row = GatewayDetailScreen.row
        var lines: [DocumentLine] = health.unavailable.map {
            DocumentLine("\(theme.glyphs.warningMark) \(TerminalText.escaped($0))", theme.warning, indent: 1)
        }
        if let local = health.local {
            lines.append(DocumentLine("Local gateway (kgate serve)", theme.heading, indent: 1))
            lines.append(
                .field(
                    "Serving", local.serving ? "yes" : "no", labelWidth: width, theme: theme,
                    valueStyle: local.serving ? theme.success : theme.warning))
            lines.append(.field("nginx master", local.masterPID.map { "pid \($0)" } ?? "-", labelWidth: width, theme: theme))
            let workers = local.workerPIDs.isEmpty ? "-" : local.workerPIDs.map(String.init).joined(separator: ", ")
            lines.append(.field("nginx workers", workers, labelWidth: width, theme: theme))
            lines.append(.field("Last reload", local.lastReload.map(Timestamps.text) ?? "-", labelWidth: width, theme: theme))
            lines.append(
                .field(
                    "Last reload error", local.lastReloadError.map(TerminalText.escaped) ?? "none", labelWidth: width, theme: theme,
                    valueStyle: local.lastReloadError == nil ? theme.plain : theme.error))
        }
        if health.local == nil || !health.pods.isEmpty {
            let widths = [40, 6, 9, 9, 9]
            lines += GatewayDetailScreen.heading(
                "Pods (\(health.pods.count))", theme: theme, header: row(["NAME", "READY", "PHASE", "RESTARTS", "NODE", "AGE"], widths))
            if health.pods.isEmpty { lines.append(DocumentLine("No pods.", theme.dim, indent: 3)) }
            for pod in health.pods {
                let ready = pod.readyContainers == pod.containers && pod.phase == "Running"
                let cells = [
                    TerminalText.escaped(pod.name), "\(pod.readyContainers)/\(pod.containers)", TerminalText.escaped(pod.phase),
                    String(pod.restarts), pod.node.map(TerminalText.escaped) ?? "-", pod.created.map { Age.text(from: $0, to: now) } ?? "-",
                ]
                lines.append(DocumentLine(row(cells, widths), ready ? theme.plain : theme.warning, indent: 3))
                if let failure = pod.failure {
                    lines.append(DocumentLine("\(theme.glyphs.arrow) \(TerminalText.escaped(failure))", theme.error, indent: 5))
                }
            }
        }
        // The message on a line of its own under age, type, reason and object: it is long.
        let eventWidths = [6, 8, 20]
        lines += GatewayDetailScreen.heading(
            "Events (\(health.events.count))", theme: theme, header: row(["AGE", "TYPE", "REASON", "OBJECT"], eventWidths))
        if health.events.isEmpty { lines.append(DocumentLine("No events.", theme.dim, indent: 3)) }
        for event in health.events {
            let cells = [
                event.time.map { Age.text(from: $0, to: now) } ?? "-", TerminalText.escaped(event.type),
                TerminalText.escaped(event.reason), TerminalText.escaped(event.object),
            ]
            lines.append(DocumentLine(row(cells, eventWidths), event.type == "Warning" ? theme.warning : theme.plain, indent: 3))
            let count = event.count > 1 ? " (x\(event.count))" : ""
            lines.append(DocumentLine(TerminalText.escaped(event.message) + count, theme.dim, indent: 5))
        }
        return lines
    }
}

/// What a section of the gateway at work shows instead of its figures: that there is no
/// source, or that the first answer has not come yet.
enum ActivityNotice {
    static func text(state: ConsoleState, loaded: Bool, what: String) -> String? {
        if !state.hasActivitySource { return "No activity source: this console was started without one, so it shows no \(what)." }
        return loaded ? nil : "Loading \(what)\(state.theme.glyphs.ellipsis)"
    }

    static func draw(_ text: String, state: ConsoleState, in rect: Rect, screen: inout Screen) {
        guard rect.height > 0 else { return }
        let lines = TextWrap.lines(text, width: max(1, rect.width - 2))
        for (offset, line) in lines.prefix(rect.height).enumerated() {
            screen.draw(line, x: rect.x + 1, y: rect.y + offset, width: rect.width - 1, style: state.theme.dim, ellipsis: state.theme.glyphs.ellipsis)
        }
    }
}

/// `45s`, `12m`, `3h`, `2d`: how long ago, as kubectl writes ages.
enum Age {
    static func text(from start: Date, to now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(start)))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}

/// Times as the console prints them: RFC 3339 in UTC, to the second.
enum Timestamps {
    static func text(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The gateway detail's sections, driven with messages as the run loop delivers them.
@Suite struct GatewaySectionsTests {
    static let demoGatewayReference = "Gateway kubesphere-controls-system/kubesphere-router-demo"

    @Test func tabShiftTabAndNumbersOpenTheSections() {
        var console = ConsoleDriver.gatewayDetail()
        #expect(console.detail?.section == .overview)
        console.press(.tab)
        #expect(console.detail?.section == .pods)
        console.press(.character("5"))
        #expect(console.detail?.section == .yaml)
        #expect(console.text.contains("kind: Gateway"))
        console.press(.tab)
        #expect(console.detail?.section == .overview)
        console.press(.backTab)
        #expect(console.detail?.section == .yaml)
        console.press(.character("4"))
        #expect(console.detail?.section == .monitoring)
        console.press(.character("1"))
        #expect(console.text.contains("Access Method"))
        #expect(console.text.contains("1 Overview"))
        #expect(console.text.contains("4 Monitoring"))
    }

    @Test func eachSectionListsItsKeysInTheHelp() throws {
        var console = ConsoleDriver.gatewayDetail()
        let screen = try #require(console.detail)
        #expect(screen.bindingTable(console.state).contains { $0.help == "next/previous section" && $0.keys == [.tab, .backTab] })
        #expect(screen.helpOfBinding(for: .character("3"), console.state) == "sections: Overview Pods Logs Monitoring YAML")
        console.press(.character("3"))
        let logs = try #require(console.detail)
        #expect(logs.helpOfBinding(for: .character("/"), console.state) == "search")
        #expect(logs.helpOfBinding(for: .character("G"), console.state) == "follow (newest line)")
        #expect(logs.helpOfBinding(for: .character("n"), console.state) == "next match (older)")
        console.press(.character("?"))
        #expect(console.text.contains("follow (newest line)"))
        #expect(console.text.contains("next/previous section"))
    }

    @Test func sourcesAreWantedOnlyWhileTheirSectionIsShown() {
        var console = ConsoleDriver.gatewayDetail()
        #expect(console.state.activitySubscriptions.isEmpty)
        console.press(.character("2"))
        #expect(console.state.activitySubscriptions == [.health(project: "demo")])
        console.press(.character("3"))
        #expect(console.state.activitySubscriptions == [.logs(project: "demo")])
        console.press(.tab)
        #expect(console.state.activitySubscriptions == [.traffic(project: "demo")])
        // The help over the section keeps it running; leaving the screen stops it.
        console.press(.character("?"))
        #expect(console.state.activitySubscriptions == [.traffic(project: "demo")])
        console.press(.escape, .escape)
        #expect(console.state.top == .internetAccess)
        #expect(console.state.activitySubscriptions.isEmpty)
        // Jumping away from a section stops it too.
        console.press(.character("g"), .character("3"))
        #expect(console.state.activitySubscriptions == [.logs(project: "demo")])
        console.press(.character("r"))
        #expect(console.state.activitySubscriptions.isEmpty)
    }

    @Test func withoutASourceTheSectionsSaySo() {
        var console = ConsoleDriver.gatewayDetail(source: false)
        for section in ["2", "3", "4"] {
            console.press(.character(Character(section)))
            #expect(console.text.contains("No activity source"), "section \(section)")
            #expect(console.state.activitySubscriptions.isEmpty)
        }
    }

    @Test func podsShowReadinessFailuresAndEvents() {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("2"))
        #expect(console.text.contains("Loading pods and events"))
        console.deliver(.health(project: "demo"), .health(.success(ActivityFixtures.clusterHealth), at: ActivityFixtures.now))
        let text = console.text
        #expect(text.contains("Pods (2)"))
        let rows = text.split(separator: "\n").map(String.init)
        let ready = rows.first { $0.contains("kubesphere-router-demo-5d8f7c9b4-x2k8p") } ?? ""
        #expect(ready.split(separator: " ").map(String.init) == ["kubesphere-router-demo-5d8f7c9b4-x2k8p", "1/1", "Running", "0", "node1", "3h"])
        let failing = rows.first { $0.contains("kubesphere-router-demo-5d8f7c9b4-q7w9z") } ?? ""
        #expect(failing.split(separator: " ").map(String.init) == ["kubesphere-router-demo-5d8f7c9b4-q7w9z", "0/1", "Running", "7", "node2", "10m"])
        #expect(text.contains("CrashLoopBackOff: back-off 5m0s"))
        #expect(text.contains("Events (2)"))
        #expect(text.contains("BackOff"))
        #expect(text.contains("(x12)"))
    }

    @Test func theLocalGatewayShowsItsNginx() {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("2"))
        console.deliver(.health(project: "demo"), .health(.success(ActivityFixtures.localHealth), at: ActivityFixtures.now))
        let text = console.text
        #expect(text.contains("Serving                 yes"))
        #expect(text.contains("pid 4242"))
        #expect(text.contains("4243, 4244"))
        #expect(text.contains("Last reload             2026-12-02T07:58:30Z"))
        #expect(text.contains("unknown directive"))
        #expect(!text.contains("Pods ("))
    }

    @Test func aFailingSourceShowsItsReasonInItsSectionAndTheOthersWork() {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("2"))
        console.deliver(.health(project: "demo"), .health(.success(ActivityFixtures.clusterHealth), at: ActivityFixtures.now))
        console.deliver(
            .health(project: "demo"), .health(.failure(.unavailable(reason: "pods: forbidden: no list on pods")), at: ActivityFixtures.now))
        #expect(console.text.contains("Health not read:"))
        #expect(console.text.contains("forbidden"))
        // The last figures stay under the reason, and a second failure does not stack.
        #expect(console.text.contains("Pods (2)"))
        console.deliver(
            .health(project: "demo"), .health(.failure(.unavailable(reason: "pods: forbidden: no list on pods")), at: ActivityFixtures.now))
        #expect(console.text.components(separatedBy: "Health not read").count == 2)

        console.press(.character("3"))
        console.deliver(.logs(project: "demo"), .logs([.failed("pods/log: forbidden")], ended: false))
        #expect(console.text.contains("log source stopped: pods/log: forbidden"))
        console.press(.character("4"))
        console.deliver(.traffic(project: "demo"), .traffic(.success(ActivityFixtures.traffic())))
        #expect(console.text.contains("demo.kubesphere.io/"))
        console.deliver(.traffic(project: "demo"), .traffic(.failure(.unavailable(reason: "no Prometheus in kubesphere-monitoring-system"))))
        #expect(console.text.contains("Traffic not read:"))
        #expect(console.text.contains("no Prometheus"))
        #expect(console.text.contains("demo.kubesphere.io/"))
    }

    @Test func anotherProjectsResultIsIgnored() {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("2"))
        console.deliver(.health(project: "rocket"), .health(.success(ActivityFixtures.clusterHealth), at: ActivityFixtures.now))
        #expect(console.text.contains("Loading pods and events"))
    }

    // MARK: Logs

    static func logs(_ count: Int) -> ConsoleDriver {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("3"))
        console.deliver(.logs(project: "demo"), .logs(ActivityFixtures.lines(0..<count), ended: false))
        return console
    }

    @Test func logsFollowThenPauseWhenScrolledUpAndResumeAtTheBottom() throws {
        var console = GatewaySectionsTests.logs(100)
        #expect(console.text.contains("GET /item/99 "))
        #expect(console.text.contains("following"))
        console.press(.character("k"))
        #expect(console.text.contains("paused — G to follow"))
        #expect(!console.text.contains("GET /item/99 "))
        #expect(console.text.contains("GET /item/98 "))
        // New lines while paused: the view stays, the count says what came.
        let before = console.text
        console.deliver(.logs(project: "demo"), .logs(ActivityFixtures.lines(100..<105), ended: false))
        #expect(console.text.contains("GET /item/98 "))
        #expect(!console.text.contains("GET /item/104 "))
        #expect(console.text.contains("5 new lines"))
        #expect(before != console.text)
        // Back down to the bottom: following again.
        console.press(.character("j"), .character("j"), .character("j"), .character("j"), .character("j"), .character("j"))
        #expect(console.text.contains("following"))
        #expect(console.text.contains("GET /item/104 "))
        console.deliver(.logs(project: "demo"), .logs(ActivityFixtures.lines(105..<106), ended: false))
        #expect(console.text.contains("GET /item/105 "))
        // g pauses at the oldest line, G follows.
        console.press(.character("g"))
        #expect(console.text.contains("GET /item/0 "))
        #expect(console.text.contains("paused"))
        console.press(.character("G"))
        #expect(console.text.contains("GET /item/105 "))
        #expect(console.text.contains("following"))
    }

    @Test func theRingKeepsTheNewestTenThousandLines() throws {
        var console = GatewaySectionsTests.logs(10_050)
        let logs = try #require(console.detail?.logs)
        #expect(logs.ring.count == 10_000)
        #expect(logs.ring.firstNumber == 50)
        #expect(logs.ring[50].text.hasPrefix("GET /item/50 "))
        #expect(logs.ring[10_049].text.hasPrefix("GET /item/10049 "))
        console.press(.character("g"))
        #expect(console.text.contains("GET /item/50 "))
        #expect(!console.text.contains("GET /item/49 "))
    }

    @Test func everyLogLineIsEscapedForTheTerminal() {
        var console = GatewaySectionsTests.logs(1)
        console.deliver(
            .logs(project: "demo"),
            .logs([ActivityFixtures.line("evil\u{1B}]0;owned\u{07}\u{1B}[2J\u{202E}name", source: "pod\u{1B}[31m")], ended: false))
        let text = console.text
        #expect(text.contains("evil\\u{1B}]0;owned\\u{7}\\u{1B}[2J\\u{202E}name"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    }

    @Test func slashSearchesAndNAndShiftNGoToOlderAndNewerMatches() throws {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("3"))
        var events = ActivityFixtures.lines(0..<200)
        events[20] = ActivityFixtures.line("upstream timed out (110) id=first")
        events[120] = ActivityFixtures.line("upstream timed out (110) id=second")
        console.deliver(.logs(project: "demo"), .logs(events, ended: false))
        console.press(.character("/"))
        #expect(console.state.isTyping)
        console.type("TIMED out")
        #expect(console.text.contains("/ TIMED out"))
        console.press(.enter)
        // The newest match first, shown and marked; the view is paused on it.
        #expect(console.detail?.logs.match == 120)
        #expect(console.text.contains(">access upstream timed out (110) id=second") || console.text.contains("> access upstream timed out"))
        #expect(console.text.contains("paused"))
        console.press(.character("n"))
        #expect(console.detail?.logs.match == 20)
        #expect(console.text.contains("id=first"))
        console.press(.character("n"))
        #expect(console.detail?.logs.match == 20)
        #expect(console.text.contains("No older line matches"))
        console.press(.character("N"))
        #expect(console.detail?.logs.match == 120)
        console.press(.character("/"))
        console.press(.ctrl("u"))
        console.type("no such thing")
        console.press(.enter)
        #expect(console.text.contains("No older line matches"))
    }

    @Test func leavingTheLogsAndComingBackStartsAfresh() {
        var console = GatewaySectionsTests.logs(10)
        console.press(.character("4"), .character("3"))
        #expect(console.detail?.logs.ring.count == 0)
        #expect(console.text.contains("Loading logs"))
        console.deliver(.logs(project: "demo"), .logs([], ended: true))
        #expect(console.text.contains("log stream ended"))
    }

    // MARK: Monitoring

    @Test func monitoringShowsEveryRoutePathTheUnmatchedRowAndSparklines() {
        var console = ConsoleDriver.gatewayDetail()
        console.press(.character("4"))
        #expect(console.text.contains("Loading traffic"))
        for scale in 1...3 {
            console.deliver(.traffic(project: "demo"), .traffic(.success(ActivityFixtures.traffic(scale: scale))))
        }
        let text = console.text
        #expect(text.contains("Requests over the last 60s"))
        #expect(text.contains("demo.kubesphere.io/     1800   30.0   1770 12   15   3    3.2   12    120"))
        #expect(text.contains("api.demo.kubesphere.io~ 360    6.0    360  0    0    0    8.0   20    31"))
        #expect(text.contains("(no route)              18     0.3    0    0    18   0    -     -     -"))
        #expect(text.contains("Trends, last 3 polls"))
        // Rates 10, 20, 30: a third, two thirds and all of the largest.
        #expect(text.contains("▃▆█"))
        // The error rate is the same each poll (1%): three full blocks.
        #expect(text.contains("███"))
    }

    @Test func sparklinesFallBackToASCII() {
        var console = ConsoleDriver.gatewayDetail(options: ConsoleOptions(ascii: true, monochrome: true))
        console.press(.character("4"))
        for scale in 1...3 {
            console.deliver(.traffic(project: "demo"), .traffic(.success(ActivityFixtures.traffic(scale: scale))))
        }
        #expect(console.text.contains(",=#"))
        #expect(!console.text.unicodeScalars.contains { $0.value > 0x7F && "▁▂▃▄▅▆▇█".unicodeScalars.contains($0) })
    }

    @Test func sparklineScalesToItsLargestValueAndLeavesGapsBlank() {
        let levels = Glyphs.unicode.sparkLevels
        #expect(Sparkline.text([0, 1, 2, 4, 8], width: 5, levels: levels) == "▁▂▃▅█")
        #expect(Sparkline.text([nil, 0, 0], width: 5, levels: levels) == "   ▁▁")
        #expect(Sparkline.text([1, 2, 3, 4], width: 2, levels: levels) == "▆█")
        #expect(Sparkline.text([Double?](), width: 3, levels: levels) == "   ")
    }

    @Test func trafficHistoryIsBoundedAndForgetsRoutesGone() {
        var history = TrafficHistory(limit: 5)
        for scale in 1...8 { history.record(ActivityFixtures.traffic(scale: scale)) }
        #expect(history.samples(of: "demo.kubesphere.io/").map(\.rate) == [40, 50, 60, 70, 80])
        var report = ActivityFixtures.traffic()
        report.routes.removeLast()
        history.record(report)
        #expect(history.samples(of: "api.demo.kubesphere.io/v1").isEmpty)
        #expect(history.polls == 9)
    }

    // MARK: Last change (issue 13)

    @Test func theOverviewAndTheSelectedRouteShowTheirLastChange() {
        var console = ConsoleDriver()
        console.state.hasChangeHistory = true
        console.openProject("demo")
        console.press(.character("g"))
        let gateway = GatewaySectionsTests.demoGatewayReference
        #expect(console.state.activitySubscriptions == [.lastChange(reference: gateway, version: "7")])
        #expect(console.text.contains("Last Change             reading the audit log…"))
        console.deliver(
            .lastChange(reference: gateway, version: "7"),
            .lastChange(ObjectChange(time: "2026-12-01T10:01:00Z", who: "SHA256:abc op@laptop", action: "gateway set")))
        #expect(console.text.contains("Last Change             gateway set 2026-12-01T10:01:00Z"))
        #expect(console.text.contains("Changed By              SHA256:abc op@laptop"))
        // Read once per version: not wanted again until the gateway changes.
        #expect(console.state.activitySubscriptions.isEmpty)
        var changed = ConsoleFixtures.inventory()
        changed.gateways[0].resourceVersion = "8"
        console.send(.loaded(.success(changed)))
        #expect(console.state.activitySubscriptions == [.lastChange(reference: gateway, version: "8")])

        console.press(.character("r"))
        #expect(console.state.activitySubscriptions == [.lastChange(reference: "Ingress demo/api", version: "1")])
        console.deliver(.lastChange(reference: "Ingress demo/api", version: "1"), .lastChange(nil))
        #expect(console.text.contains("last change: none recorded"))
        console.press(.down)
        #expect(console.state.activitySubscriptions == [.lastChange(reference: "Ingress demo/demo", version: "1")])
        console.deliver(
            .lastChange(reference: "Ingress demo/demo", version: "1"),
            .lastChange(ObjectChange(time: "2026-12-01T10:02:00Z", who: "local user op", action: "route edit")))
        #expect(console.text.contains("last change: route edit 2026-12-01T10:02:00Z by local user…"))
        console.resize(Size(columns: 100, rows: 24))
        #expect(console.text.contains("last change: route edit 2026-12-01T10:02:00Z by local user op"))
    }

    @Test func withoutAnAuditLogNoLastChangeIsShownOrAskedFor() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("g"))
        #expect(!console.text.contains("Last Change"))
        console.press(.character("r"))
        #expect(console.state.activitySubscriptions.isEmpty)
        #expect(!console.text.contains("last change"))
    }
}

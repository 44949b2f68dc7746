import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// Footers, plurals and the editor's errors as a newcomer reads them at 80×24.
@Suite struct ConsolePolishTests {
    static func footer(_ console: ConsoleDriver) -> String {
        String(console.text.split(separator: "\n", omittingEmptySubsequences: false).last ?? "")
    }

    @Test(arguments: 0..<SnapshotTests.screens.count)
    func everyFooterKeepsHelpAndQuitAt80Columns(_ index: Int) {
        let (name, options, keys) = SnapshotTests.screens[index]
        guard !name.hasPrefix("help"), !name.hasPrefix("confirm") else { return }
        var console = ConsoleDriver(options: options)
        keys(&console)
        let footer = ConsolePolishTests.footer(console)
        let typing = console.state.isTyping || [.routeEditor, .setGateway].contains(console.state.top)
        #expect(footer.contains(typing ? "F1 help" : "? help"), "\(name): \(footer)")
        if !typing { #expect(footer.contains("q quit"), "\(name): \(footer)") }
    }

    @Test func oneRouteIsSingular() {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: [ConsoleFixtures.route("only", host: "only.example.com")]))
        console.openProject("demo")
        console.press(.character("r"))
        #expect(console.text.contains("1 route"))
        #expect(!console.text.contains("1 routes"))
        console.press(.character("g"))
        let detail = console.state.screen(GatewayDetailScreen.self)?.overview.document.lines.map { $0.spans.map(\.text).joined() } ?? []
        #expect(detail.contains("Route URLs (1 route)"))
    }

    @Test func oneStaleHostIsSingular() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.state.staleHosts = [StaleHost(route: "nginx-auto", ruleIndex: 0, host: "web.demo.1.2.3.4.nip.io", replacement: nil)]
        #expect(console.text.contains("1 auto-generated host no longer matches the gateway"))
    }

    static func newRouteWithHost(_ host: String, https: Bool) -> ConsoleDriver {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .character("n"))
        console.type("web")
        console.press(.tab, .tab, .tab, .right)  // mode → Specify Domain
        if https { console.press(.tab, .right) } else { console.press(.tab) }
        console.press(.tab)  // host
        console.type(host)
        return console
    }

    @Test func theIPHostErrorShowsOnceWithHTTPS() {
        let console = ConsolePolishTests.newRouteWithHost("1.2.3.4", https: true)
        #expect(console.state.editor?.focus == .host(0))
        let text = console.text
        #expect(text.components(separatedBy: "must be a DNS name, not an IP address").count == 2, "\(text)")
    }

    @Test func anInvalidHostHasNoURLPreview() {
        var console = ConsolePolishTests.newRouteWithHost("1.2.3.4", https: false)
        console.press(.pageDown)
        #expect(!console.text.contains("1.2.3.4:"))
        #expect(!console.text.contains("http://1.2.3.4"))
    }

    @Test func aLongErrorWrapsUnderItsFieldAndIsReadWhole() {
        var console = ConsoleDriver(size: Size(columns: 60, rows: 24))
        console.openProject("empty")  // no gateway: Auto Generate cannot make a host
        console.press(.character("r"), .character("n"))
        console.type("web")
        console.press(.tab, .tab, .tab, .right)  // Specify Domain → Auto Generate
        let reason = "the gateway has no address to generate a host from: set the gateway or specify a domain"
        let words = console.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words.contains(reason), "\(console.text)")
    }

    @Test func switchingToSpecifyDomainClearsTheGeneratedHost() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .down, .down, .down, .enter)  // nginx-auto: an auto host
        #expect(console.state.editor?.draft.rules[0].mode == .auto)
        console.press(.tab, .tab, .right)
        #expect(console.state.editor?.draft.rules[0].mode == .specify)
        #expect(console.state.editor?.draft.rules[0].host.text == "")
    }

    @Test func aTypedDomainSurvivesAutoAndBack() {
        var console = ConsolePolishTests.newRouteWithHost("shop.example.com", https: false)
        console.press(.backTab, .backTab, .right, .right)  // Auto, then Specify again
        #expect(console.state.editor?.draft.rules[0].host.text == "shop.example.com")
    }

    @Test func labelsAreEditedAndSavedKeepingTheRest() {
        var routes = ConsoleFixtures.demoRoutes
        routes[2].metadata.labels = ["app": "api"]
        routes[2].ingressClassName = "nginx"
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: routes))
        console.openProject("demo")
        console.press(.character("r"), .enter)  // api
        #expect(console.text.contains("Labels"))
        console.press(.ctrl("l"))
        console.type("tier")
        console.press(.tab)
        console.type("backend")
        guard case .updateRoute(let route)? = console.press(.ctrl("s")).first else {
            Issue.record("no update: \(console.state.flash?.text ?? "")")
            return
        }
        #expect(route.metadata.labels == ["app": "api", "tier": "backend"])
        #expect(route.ingressClassName == "nginx")
    }

    @Test func aBadLabelIsShownAtItsField() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .enter)
        console.press(.ctrl("l"))
        console.type("bad key!")
        #expect(console.state.editor?.errors.byField[.labelKey(0)] != nil)
    }

    @Test func questionMarkTypesInAFilter() {
        var console = ConsoleDriver()
        console.openProject("demo")
        console.press(.character("r"), .character("/"))
        console.type("a?")
        #expect(console.state.routes?.query.text == "a?")
        #expect(console.state.overlay == nil)
    }

    @Test func projectRowsUseTheSameWordsAsTheCommandLine() {
        let rows = ProjectRow.rows(ConsoleFixtures.inventory())
        #expect(rows.map(\.cells) == [
            ["demo", "网关演示", "NodePort", "Ready", "4"],
            ["empty", "-", "-", "Not Set", "0"],
            ["rocket", "🚀 火箭发射台", "LoadBalancer", "Pending", "1"],
        ])
    }
}

@Suite struct StatusNoticeTests {
    @Test func aStoreNoticeStaysInTheStatusRowUntilCleared() {
        var console = ConsoleDriver()
        console.send(.notice("waiting for the credential plugin (kubelogin)…"))
        console.press(.down)
        #expect(console.text.contains("waiting for the credential plugin"))
        console.send(.notice(nil))
        #expect(!console.text.contains("waiting for the credential plugin"))
    }
}

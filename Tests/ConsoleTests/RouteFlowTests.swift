import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// Browsing, filtering and editing a project's routes.
@Suite struct RouteFlowTests {
    static func routes(_ inventory: Inventory = ConsoleFixtures.inventory()) -> ConsoleDriver {
        var console = ConsoleDriver(inventory: inventory)
        console.openProject("demo")
        console.press(.character("r"))
        return console
    }

    @Test func theListShowsHostsBackendsAndTheSeedURLs() {
        let console = RouteFlowTests.routes()
        #expect(console.text.contains("4 routes"))
        #expect(console.text.contains("http://api.demo.kubesphere.io:30798/v1"))
    }

    @Test func filterNarrowsAsYouTypeAndBackspaceWidens() {
        var console = RouteFlowTests.routes()
        console.press(.character("/"))
        console.type("demo")
        #expect(console.state.routes?.filter.matches.count == 4)  // every host has "demo"
        console.type("-s")
        #expect(console.state.routes?.filter.matches.count == 1)
        #expect(console.state.routes?.selectedRoute?.name == "demo-secure")
        console.press(.backspace, .backspace)
        #expect(console.state.routes?.filter.matches.count == 4)
        console.press(.enter)
        #expect(console.state.routes?.typing == false)
        // Out of typing mode, q is a key again, and Esc clears the filter before leaving.
        console.press(.escape)
        #expect(console.state.routes?.query.text == "")
        #expect(console.state.top == .routes)
    }

    @Test func filterMatchesServicesAndPathsAndCJKAliases() {
        var console = RouteFlowTests.routes()
        console.press(.character("/"))
        console.type("/v1")
        #expect(console.state.routes?.selectedRoute?.name == "api")
        console.press(.escape, .character("/"))
        console.type("安全")
        #expect(console.state.routes?.filter.matches.count == 1)
        #expect(console.state.routes?.selectedRoute?.name == "demo-secure")
    }

    /// Keys are lower case whatever the route holds: lower-case ASCII copied whole, upper
    /// case and other scripts lowered.
    @Test func filterIgnoresCaseInEveryScript() {
        func route(_ name: String, host: String, alias: String? = nil) -> Route {
            var metadata = ObjectMeta(name: name, namespace: "web")
            if let alias { metadata.annotations["kubesphere.io/alias-name"] = alias }
            return Route(
                metadata: metadata,
                rules: [RouteRule(host: host, paths: [RoutePath(path: "/Api", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))])])
        }
        let routes = [
            route("plain", host: "plain.example.com"), route("upper", host: "SHOP.Example.com"),
            route("aliased", host: "a.example.com", alias: "Café Ärger"),
        ]
        let index = RouteIndex(routes: routes)
        #expect(index.matches("shop.example", among: nil) == [1])
        #expect(index.matches("SHOP", among: nil) == [1])
        #expect(index.matches("café är", among: nil) == [2])
        #expect(index.matches("/api", among: nil) == [0, 1, 2])
        #expect(index.matches("plain.example", among: nil) == [0])
    }

    @Test func incrementalFilteringAgreesWithAFullScan() {
        let index = RouteIndex(routes: ConsoleFixtures.manyRoutes(5_000))
        var filter = RouteFilter(index: index)
        for query in ["r", "ro", "route-1", "route-12", "route-1", "host4", "host49", "/p9", ""] {
            filter.set(query, index: index)
            #expect(filter.matches == index.matches(query, among: nil), "\(query)")
        }
    }

    @Test func storeChangeKeepsSelectionAndFilter() {
        var console = RouteFlowTests.routes()
        console.press(.character("/"))
        console.type("demo")
        console.press(.enter, .down, .down)
        #expect(console.state.routes?.selectedRoute?.name == "demo-secure")
        #expect(console.send(.storeChanged) == [.load])
        var routes = ConsoleFixtures.demoRoutes
        routes.append(ConsoleFixtures.route("a-new-one", host: "new.demo.kubesphere.io"))
        console.send(.loaded(.success(ConsoleFixtures.inventory(routes: routes))))
        #expect(console.state.routes?.query.text == "demo")
        #expect(console.state.routes?.selectedRoute?.name == "demo-secure")
        #expect(console.state.routes?.filter.matches.count == 5)
    }

    @Test func changesDuringALoadAreCoalescedIntoOneMoreLoad() {
        var console = RouteFlowTests.routes()
        #expect(console.send(.storeChanged) == [.load])
        #expect(console.send(.storeChanged).isEmpty)
        #expect(console.send(.storeChanged).isEmpty)
        #expect(console.send(.loaded(.success(ConsoleFixtures.inventory()))) == [.load])
        #expect(console.send(.loaded(.success(ConsoleFixtures.inventory()))).isEmpty)
    }

    @Test func deletingARouteAsksFirst() {
        var console = RouteFlowTests.routes()
        #expect(console.press(.character("d")).isEmpty)
        #expect(console.text.contains("Delete route api?"))
        #expect(console.press(.character("y")) == [.deleteRoute(project: "demo", name: "api")])
    }

    @Test func yShowsTheSelectedRoutesManifest() {
        var console = RouteFlowTests.routes()
        console.press(.down, .character("y"))
        #expect(console.state.top == .yaml)
        #expect(console.text.contains("Ingress demo/demo"))
        console.press(.escape)
        #expect(console.state.top == .routes)
    }

    @Test func aNewRouteGetsAnAutoGeneratedHostOnTheEIP() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        console.type("web-auto")
        let effects = console.press(.ctrl("s"))
        guard case .createRoute(let route)? = effects.first, effects.count == 1 else {
            Issue.record("expected one create: \(effects)")
            return
        }
        #expect(route.name == "web-auto")
        #expect(route.namespace == "demo")
        #expect(route.rules.first?.host == "api.demo.139.198.0.20.nip.io")
        #expect(route.rules.first?.paths.first?.backend == RouteBackend(service: "api", port: 8080))
    }

    /// Typing the seed's route: its host and path are the fixture's `demo`'s, so that one
    /// is left out here (see `aPathAnotherRouteServesIsSaidSoInThePreview`).
    @Test func aRouteWithASpecifiedDomainAndTLSPreviewsTheSeedURL() {
        var console = RouteFlowTests.routes(
            ConsoleFixtures.inventory(routes: ConsoleFixtures.demoRoutes.filter { $0.rules.first?.host != "demo.kubesphere.io" }))
        console.press(.character("n"))
        console.type("web")
        console.press(.tab, .tab, .tab)  // alias, description, mode
        console.press(.right)  // Specify Domain
        console.press(.tab, .right)  // protocol https
        console.press(.tab, .ctrl("u"))
        console.type("demo.kubesphere.io")
        console.press(.tab, .right)  // TLS secret demo-tls
        console.press(.tab, .tab, .tab, .right)  // path, type, service web
        #expect(console.text.contains("https://demo.kubesphere.io:31279/"))
        let effects = console.press(.ctrl("s"))
        guard case .createRoute(let route)? = effects.first else {
            Issue.record("expected a create: \(effects)")
            return
        }
        #expect(route.rules.first?.host == "demo.kubesphere.io")
        #expect(route.tls == [RouteTLS(hosts: ["demo.kubesphere.io"], secretName: "demo-tls")])
        #expect(route.rules.first?.paths.first?.backend == RouteBackend(service: "web", port: 80))
    }

    @Test func aPathAnotherRouteServesIsSaidSoInThePreview() {
        var console = RouteFlowTests.routes()
        // The fixture's demo-secure repeats demo's host and path: the list says which serves it,
        // the summary of the selected route why.
        #expect(console.text.contains("served by route demo"))
        console.press(.down, .down)
        #expect(console.text.contains("demo.kubesphere.io/ (not served: route demo claimed it first) → web:80"))
        console.press(.character("n"))
        console.type("web")
        console.press(.tab, .tab, .tab)  // alias, description, mode
        console.press(.right)  // Specify Domain
        console.press(.tab, .tab, .ctrl("u"))
        console.type("demo.kubesphere.io")
        #expect(console.text.contains("demo.kubesphere.io/ (not served: route demo claimed it first)"))
        // Another path of the same host is served.
        console.press(.tab, .ctrl("u"))
        console.type("/web")
        #expect(console.text.contains("http://demo.kubesphere.io:30798/web"))
        #expect(!console.text.contains("(not served"))
    }

    @Test func invalidFieldsBlockSaveAndShowBesideTheField() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        console.press(.tab, .tab, .tab, .right)  // Specify Domain, host left empty
        #expect(console.press(.ctrl("s")).isEmpty)
        #expect(console.text.contains("Not saved"))
        #expect(console.state.editor?.focus == .name)
        let lines = console.text.split(separator: "\n").map(String.init)
        guard let name = lines.firstIndex(where: { $0.hasPrefix(" Name") }) else {
            Issue.record("no name line")
            return
        }
        #expect(lines[name + 1].contains("required"))
    }

    @Test func qIsTextInTheEditor() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        #expect(console.type("q?:").isEmpty)
        #expect(console.state.editor?.draft.name.text == "q?:")
        #expect(console.state.overlay == nil)
    }

    @Test func governanceAddsTheServiceUpstreamAnnotation() {
        var gateway = ConsoleFixtures.demoGateway
        gateway.governance = true
        var console = RouteFlowTests.routes(ConsoleFixtures.inventory(gateways: [gateway]))
        console.press(.character("n"))
        console.type("traced")
        guard case .createRoute(let route)? = console.press(.ctrl("s")).first else {
            Issue.record("no create")
            return
        }
        #expect(route.metadata.annotations[KubeSphereAnnotation.serviceUpstream] == "true")
    }

    @Test func aConflictKeepsWhatWasTypedAndReloadRebases() {
        var console = RouteFlowTests.routes()
        console.press(.enter)  // edit api
        #expect(console.state.editor?.focus == .alias)
        console.type("接口")
        let first = console.press(.ctrl("s"))
        #expect(first.count == 1)
        console.send(.routeSaved(.failure(.conflict(object: "Ingress demo/api", reason: "resourceVersion 1 is stale"))))
        #expect(console.state.top == .routeEditor)
        #expect(console.state.editor?.draft.alias.text == "接口")
        #expect(console.text.contains("R reloads"))
        #expect(console.press(.character("R")) == [.load])
        var routes = ConsoleFixtures.demoRoutes
        routes[2].metadata.resourceVersion = "9"
        console.send(.loaded(.success(ConsoleFixtures.inventory(routes: routes))))
        #expect(console.state.editor?.draft.alias.text == "接口")
        guard case .updateRoute(let route)? = console.press(.ctrl("s")).first else {
            Issue.record("no update")
            return
        }
        #expect(route.metadata.resourceVersion == "9")
        #expect(route.alias == "接口")
    }

    @Test func aSavedRouteIsSelectedAfterTheReload() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        console.type("zz-last")
        guard case .createRoute(let route)? = console.press(.ctrl("s")).first else { return }
        #expect(console.send(.routeSaved(.success(route))) == [.load])
        #expect(console.state.top == .routes)
        console.send(.loaded(.success(ConsoleFixtures.inventory(routes: ConsoleFixtures.demoRoutes + [route]))))
        #expect(console.state.routes?.selectedRoute?.name == "zz-last")
    }

    @Test func escapeWithChangesAsksBeforeDiscarding() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        console.type("x")
        console.press(.escape)
        #expect(console.text.contains("Discard"))
        console.press(.character("y"))
        #expect(console.state.top == .routes)
        #expect(console.state.editor == nil)
    }

    @Test func addingAndRemovingPathsAndRules() {
        var console = RouteFlowTests.routes()
        console.press(.character("n"))
        console.press(.tab, .tab, .tab)  // mode of rule 1
        console.press(.ctrl("n"))
        #expect(console.state.editor?.draft.rules[0].paths.count == 2)
        console.press(.ctrl("r"))
        #expect(console.state.editor?.draft.rules.count == 2)
        console.press(.ctrl("d"))
        #expect(console.state.editor?.draft.rules.count == 1)
        console.press(.ctrl("d"))
        #expect(console.state.editor?.draft.rules.count == 1)
        #expect(console.text.contains("at least one rule"))
    }
}

import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// A load after a few routes changed rebuilds only what they touch (issue 15: a change
/// costs work for that object); what is shown must be what a fresh build shows.
@Suite struct IncrementalReloadTests {
    static let queries = ["", "route-1", "route-77", "host5", "/p3", "api", "renamed", "zz-new", "fresh.example", "网关"]

    /// Routes changed in every way a load can change them: one edited (host), one given an
    /// alias, one removed, one added at each end and one in the middle.
    static func changed(_ routes: [Route]) -> [Route] {
        var routes = routes
        routes[3].rules[0].host = "fresh.example.com"
        routes[10].alias = "Renamed"
        routes.remove(at: 20)
        routes.append(ConsoleFixtures.route("zz-new", host: "zz.example.com", path: "/", service: "web"))
        routes.append(ConsoleFixtures.route("route-1500", host: "mid.example.com", path: "/", service: "api"))
        routes.append(ConsoleFixtures.route("aa-first", host: "first.example.com", path: "/网关", service: "web"))
        return routes.sorted { $0.name < $1.name }
    }

    @Test("an index that reuses the previous one's keys finds what one built afresh finds")
    func indexReuse() {
        let before = ConsoleFixtures.manyRoutes(3000).sorted { $0.name < $1.name }
        let after = IncrementalReloadTests.changed(before)
        let previous = RouteIndex(routes: before)
        let reused = RouteIndex(routes: after, reusing: previous)
        let fresh = RouteIndex(routes: after)
        for query in IncrementalReloadTests.queries {
            #expect(reused.matches(query, among: nil) == fresh.matches(query, among: nil), "\(query)")
        }
        // Not a vacuous comparison: the changed routes are found by what changed.
        #expect(reused.matches("fresh.example", among: nil).map { after[$0].name } == [before[3].name])
        #expect(reused.matches("renamed", among: nil).map { after[$0].name } == [before[10].name])
        #expect(reused.matches(before[20].rules[0].host, among: nil).isEmpty)
    }

    /// A fresh index makes its keys on every core, 4,096 routes a run: the runs joined must
    /// be the keys made one route after another (as the reusing build makes them).
    @Test("an index built afresh in runs on every core finds what one built route by route finds")
    func indexInRuns() {
        let routes = IncrementalReloadTests.changed(ConsoleFixtures.manyRoutes(10_000).sorted { $0.name < $1.name })
        let inRuns = RouteIndex(routes: routes)
        let oneByOne = RouteIndex(routes: routes, reusing: RouteIndex(routes: []))
        for query in IncrementalReloadTests.queries + ["route-9999", "route-4096", "route-8191"] {
            #expect(inRuns.matches(query, among: nil) == oneByOne.matches(query, among: nil), "\(query)")
        }
        // Routes in the second and third runs are found where they are.
        for name in ["route-5000", "route-9999"] {
            #expect(inRuns.matches(name, among: nil).map { routes[$0].name }.contains(name))
        }
        #expect(inRuns.matches("zz-new", among: nil).map { routes[$0].name } == ["zz-new"])
    }

    @Test("routes in any order are grouped by project, each sorted by name")
    func grouping() {
        let routes = ConsoleFixtures.manyRoutes(50)
        var mixed = routes.map { route -> Route in
            var route = route
            if route.name.hasSuffix("7") { route.metadata.namespace = "rocket" }
            return route
        }
        mixed.reverse()
        let catalog = Catalog(ConsoleFixtures.inventory(routes: mixed))
        let demo = catalog.routes(project: "demo")
        let rocket = catalog.routes(project: "rocket")
        #expect(demo.count + rocket.count == 50)
        #expect(rocket.count == 5)
        #expect(demo.map(\.name) == demo.map(\.name).sorted())
        #expect(rocket.map(\.name) == rocket.map(\.name).sorted())
        #expect(catalog.projectRows.first { $0.name == "rocket" }?.routeCount == 5)
    }

    @Test("a load that changed a few routes shows the list a fresh console shows, filter and selection kept")
    func reloadShowsChanges() throws {
        let before = ConsoleFixtures.manyRoutes(3000).sorted { $0.name < $1.name }
        let after = IncrementalReloadTests.changed(before)
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: before))
        console.openProject("demo")
        console.press(.character("r"), .character("/"))
        console.type("route-1")
        console.press(.enter)
        console.press(.down, .down)
        let selected = console.state.routes?.selectedRoute?.name
        console.send(.loaded(.success(ConsoleFixtures.inventory(routes: after))))

        var fresh = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: after))
        fresh.openProject("demo")
        fresh.press(.character("r"), .character("/"))
        fresh.type("route-1")
        fresh.press(.enter)
        #expect(console.state.routes?.filter.matches == fresh.state.routes?.filter.matches)
        #expect(console.state.routes?.selectedRoute?.name == selected)
        let shown = try #require(console.state.routes)
        #expect(shown.filter.matches.contains { shown.index.routes[$0].name == "route-1500" })
        #expect(!shown.index.routes.contains { $0.name == before[20].name })
    }
}

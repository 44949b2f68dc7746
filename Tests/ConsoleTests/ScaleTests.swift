import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The shapes the benchmark measures, checked for behaviour only: how fast they are is
/// kgate-bench's `key_to_frame_p99_ms` and `filter_p99_ms`, never a timed test.
@Suite struct ScaleTests {
    @Test func movingThrough10000RoutesKeepsTheSelectedRouteOnScreen() throws {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: ConsoleFixtures.manyRoutes(10_000)))
        console.openProject("demo")
        console.press(.character("r"))
        var seen: Set<String> = []
        for _ in 0..<200 {
            console.press(.down)
            let selected = try #require(console.state.routes?.selectedRoute)
            #expect(console.screen.text.contains(selected.name), "\(selected.name) is selected but not drawn")
            seen.insert(selected.name)
        }
        #expect(seen.count == 200, "each key moved to a new route")
    }

    @Test func filteringOver100000RoutesPerKeystroke() {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: ConsoleFixtures.manyRoutes(100_000)))
        console.openProject("demo")
        console.press(.character("r"), .character("/"))
        for character in "route-9" {
            console.press(.character(character))
            _ = console.screen
        }
        #expect(console.state.routes?.filter.matches.count == 11_111)
        console.press(.backspace)
        #expect(console.state.routes?.filter.matches.count == 100_000)
    }
}

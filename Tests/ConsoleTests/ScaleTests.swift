import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The shapes the benchmark measures, with bounds loose enough for a debug build on a
/// shared machine: they catch a per-key rebuild of everything, not a few microseconds.
@Suite struct ScaleTests {
    static func milliseconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    @Test func movingThrough10000RoutesOnlyDrawsVisibleRows() {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: ConsoleFixtures.manyRoutes(10_000)))
        console.openProject("demo")
        console.press(.character("r"))
        var times: [Double] = []
        for _ in 0..<200 {
            times.append(ScaleTests.milliseconds {
                console.press(.down)
                _ = console.screen
            })
        }
        times.sort()
        let p99 = times[times.count * 99 / 100]
        print("key to frame over 10,000 routes (debug): p50 \(times[times.count / 2]) ms, p99 \(p99) ms")
        #expect(p99 < 50)
    }

    @Test func filteringOver100000RoutesPerKeystroke() {
        var console = ConsoleDriver(inventory: ConsoleFixtures.inventory(routes: ConsoleFixtures.manyRoutes(100_000)))
        console.openProject("demo")
        console.press(.character("r"), .character("/"))
        var times: [Double] = []
        for character in "route-9" {
            times.append(ScaleTests.milliseconds {
                console.press(.character(character))
                _ = console.screen
            })
        }
        #expect(console.state.routes?.filter.matches.count == 11_111)
        times.append(ScaleTests.milliseconds { console.press(.backspace) })
        print("filter keystrokes over 100,000 routes (debug): \(times.map { Int($0) }) ms")
        #expect(times.max() ?? 0 < 500)
        #expect(console.state.routes?.filter.matches.count == 100_000)
    }
}

import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The gateway detail's sources through the real run loop: results arrive with no key,
/// nothing blocks the keys, and a section's source stops when the section is left.
@Suite(.timeLimit(.minutes(1))) struct GatewayActivityRunLoopTests {
    /// Starts the console on demo's Internet Access; wait for `loaded` (the node port,
    /// shown once the objects are in) before pressing `g`.
    static let loaded = "30798"

    static func start(
        _ terminal: MemoryConsoleTerminal, activity: FakeActivitySource?, history: (any ChangeHistory)? = nil
    ) -> Task<Int32, Never> {
        Task {
            await ConsoleApp.run(
                store: FakeObjectStore(), terminal: terminal, options: ConsoleOptions(initialProject: "demo"), activity: activity,
                history: history)
        }
    }

    @Test func logsFollowLiveAndTheStreamIsDroppedWhenTheSectionIsLeft() async {
        let terminal = MemoryConsoleTerminal()
        let source = FakeActivitySource()
        let run = GatewayActivityRunLoopTests.start(terminal, activity: source)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        terminal.send(.key(.character("3")))
        #expect(await eventually(20) { source.openStreams == 1 })
        source.emit([ActivityFixtures.line("GET /live HTTP/1.1 200 \u{1B}[2J")])
        #expect(await terminal.waitFor("GET /live HTTP/1.1 200 \\u{1B}[2J", seconds: 20))
        #expect(await terminal.waitFor("following", seconds: 20))
        // A burst arrives as batches, and the newest line is shown without a key.
        source.emit(ActivityFixtures.lines(0..<3000))
        #expect(await terminal.waitFor("GET /item/2999 ", seconds: 20))

        terminal.send(.key(.character("4")))
        #expect(await eventually(20) { source.openStreams == 0 && source.dropped == 1 })
        #expect(await terminal.waitFor("demo.kubesphere.io/", seconds: 20))
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }

    @Test func trafficIsPolledWhileShownAndRefreshesWithoutAKey() async {
        let terminal = MemoryConsoleTerminal()
        let source = FakeActivitySource()
        let run = GatewayActivityRunLoopTests.start(terminal, activity: source)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        terminal.send(.key(.character("4")))
        #expect(await terminal.waitFor("Trends, last 1 poll", seconds: 20))
        // The next poll, a second later, shows new figures and a longer history.
        #expect(await terminal.waitFor("Trends, last 2 polls", seconds: 20))
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }

    @Test func aHangingSourceBlocksNothingAndIsCancelledWhenTheSectionIsLeft() async {
        let terminal = MemoryConsoleTerminal()
        let source = FakeActivitySource()
        source.setHealth(hangs: true)
        let run = GatewayActivityRunLoopTests.start(terminal, activity: source)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        terminal.send(.key(.character("2")))
        #expect(await terminal.waitFor("Loading pods and events", seconds: 20))
        #expect(await eventually(20) { source.healthCallCount == 1 })
        // The keys still work while the health call hangs.
        terminal.send(.key(.character("5")))
        #expect(await terminal.waitFor("kind: Gateway", seconds: 20))
        #expect(await eventually(20) { source.cancelledHealthCalls == 1 })
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }

    @Test func aFailingSourceShowsItsReasonAndTheOtherSectionsWork() async {
        let terminal = MemoryConsoleTerminal()
        let source = FakeActivitySource()
        source.setHealth(hangs: false, failure: .unavailable(reason: "pods: forbidden: User cannot list pods"))
        let run = GatewayActivityRunLoopTests.start(terminal, activity: source)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        terminal.send(.key(.character("2")))
        #expect(await terminal.waitFor("User cannot list pods", seconds: 20))
        terminal.send(.key(.character("3")))
        #expect(await eventually(20) { source.openStreams == 1 })
        source.emit([ActivityFixtures.line("still logging")])
        #expect(await terminal.waitFor("still logging", seconds: 20))
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }

    @Test func leavingTheConsoleStopsEverySource() async {
        let terminal = MemoryConsoleTerminal()
        let source = FakeActivitySource()
        let run = GatewayActivityRunLoopTests.start(terminal, activity: source)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        terminal.send(.key(.character("3")))
        #expect(await eventually(20) { source.openStreams == 1 })
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
        #expect(await eventually(20) { source.openStreams == 0 })
    }

    @Test func theLastChangeComesFromTheHistory() async {
        let terminal = MemoryConsoleTerminal()
        let history = FakeChangeHistory(changes: [
            GatewaySectionsTests.demoGatewayReference: ObjectChange(time: "2026-12-01T10:01:00Z", who: "SHA256:abc op@laptop", action: "gateway set"),
            "Ingress demo/api": ObjectChange(time: "2026-12-01T10:02:00Z", who: "local user op", action: "route edit"),
        ])
        let run = GatewayActivityRunLoopTests.start(terminal, activity: nil, history: history)
        #expect(await terminal.waitFor(GatewayActivityRunLoopTests.loaded, seconds: 20))
        terminal.send(.key(.character("g")))
        #expect(await terminal.waitFor("gateway set 2026-12-01T10:01:00Z", seconds: 20))
        #expect(await terminal.waitFor("SHA256:abc op@laptop", seconds: 20))
        terminal.send(.key(.character("r")))
        #expect(await terminal.waitFor("last change: route edit 2026-12-01T10:02:00Z by local", seconds: 20))
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }
}

import Foundation
import GatewayKit
import Terminal
import Testing
import TestSupport

@testable import Console

/// The run loop with an in-memory terminal and store: keys in, frames out, effects
/// performed, store changes shown without a key.
@Suite(.timeLimit(.minutes(1))) struct RunLoopTests {
    @Test func setsAGatewayAndFollowsAnotherProcess() async {
        let terminal = MemoryConsoleTerminal()
        let store = FakeObjectStore()
        let run = Task { await ConsoleApp.run(store: store, terminal: terminal, options: ConsoleOptions(initialProject: "empty")) }

        #expect(await terminal.waitFor("Gateway Not Set"))
        terminal.send(.key(.character("s")))
        #expect(await terminal.waitFor("Set Gateway"))
        terminal.send(.key(.enter))
        // The allocated ports and URLs arrive with no further key.
        #expect(await terminal.waitFor("http:30798; https:31279"))
        #expect(await terminal.waitFor("http://139.198.0.20:30798"))
        #expect(store.requests == [GatewayRequest(project: "empty", type: .nodePort, annotations: [:], governance: false)])

        // Another process deletes the gateway: shown within a second, no key pressed.
        store.externalChange { $0.gateways.removeAll { $0.project == "empty" } }
        #expect(await terminal.waitFor("Gateway Not Set", seconds: 1))

        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }

    @Test func resizesAreCoalescedIntoOneFrame() async {
        let terminal = MemoryConsoleTerminal()
        let run = Task { await ConsoleApp.run(store: FakeObjectStore(), terminal: terminal, options: ConsoleOptions()) }
        #expect(await terminal.waitFor("Projects"))
        try? await Task.sleep(nanoseconds: 100_000_000)
        let before = terminal.presents
        for columns in 50...70 { terminal.send(.resize(Size(columns: columns, rows: 20))) }
        terminal.send(.resize(Size(columns: 30, rows: 8)))
        #expect(await terminal.waitFor("terminal too small"))
        try? await Task.sleep(nanoseconds: 100_000_000)
        #expect(terminal.presents - before <= 3)
        terminal.send(.key(.ctrl("c")))
        #expect(await run.value == 0)
    }

    @Test func leavesOnTheTerminationFlag() async {
        let terminal = MemoryConsoleTerminal()
        let run = Task { await ConsoleApp.run(store: FakeObjectStore(), terminal: terminal, options: ConsoleOptions()) }
        #expect(await terminal.waitFor("Projects"))
        terminal.terminate()
        #expect(await run.value == 1)
    }

    @Test func idleLoopDrawsNothing() async {
        let terminal = MemoryConsoleTerminal()
        let run = Task { await ConsoleApp.run(store: FakeObjectStore(), terminal: terminal, options: ConsoleOptions()) }
        #expect(await terminal.waitFor("demo"))
        try? await Task.sleep(nanoseconds: 200_000_000)
        let before = terminal.presents
        try? await Task.sleep(nanoseconds: 300_000_000)
        #expect(terminal.presents == before)
        terminal.send(.key(.character("q")))
        #expect(await run.value == 0)
    }
}

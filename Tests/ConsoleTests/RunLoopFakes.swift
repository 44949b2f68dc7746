import Foundation
import GatewayKit
import Terminal
import TestSupport

@testable import Console

/// An in-memory terminal for the run loop: keys queued by the test, screens kept, and a
/// `nextEvent` that blocks until a key, a wake or the timeout, as a real one does.
final class MemoryConsoleTerminal: ConsoleTerminal, @unchecked Sendable {
    // The condition guards every field below.
    private let condition = NSCondition()
    private var events: [TerminalEvent] = []
    private var woken = false
    private var terminating = false
    private var shown: Screen?
    private(set) var presentCount = 0
    private var currentSize: Size

    init(size: Size = Size(columns: 80, rows: 24)) { currentSize = size }

    var size: Size { condition.withLock { currentSize } }

    func present(_ screen: Screen) {
        condition.withLock {
            shown = screen
            presentCount += 1
        }
    }

    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = timeoutMilliseconds.map { Date().addingTimeInterval(Double($0) / 1000) }
        while events.isEmpty, !woken, !terminating {
            if let deadline {
                if !condition.wait(until: deadline) { break }
            } else {
                condition.wait()
            }
        }
        woken = false
        return events.isEmpty ? nil : events.removeFirst()
    }

    func wake() {
        condition.withLock {
            woken = true
            condition.broadcast()
        }
    }

    var shouldTerminate: Bool { condition.withLock { terminating } }

    func send(_ event: TerminalEvent) {
        condition.withLock {
            if case .resize(let size) = event { currentSize = size }
            events.append(event)
            condition.broadcast()
        }
    }

    func terminate() {
        condition.withLock {
            terminating = true
            condition.broadcast()
        }
    }

    var text: String { condition.withLock { shown?.text ?? "" } }
    var presents: Int { condition.withLock { presentCount } }

    /// Waits (up to `seconds`) until the shown screen contains `needle`.
    /// Whether `needle` is on the screen within about `seconds` worth of checks (see
    /// `eventually`: the store's tasks may wait for a thread of a busy test run).
    func waitFor(_ needle: String, seconds: Double = 2) async -> Bool {
        await eventually(seconds) { text.contains(needle) }
    }
}

/// A store in memory: the fixture inventory, a change stream the test can fire, and a
/// NodePort allocator good enough for the seed's numbers.
final class FakeObjectStore: ObjectStore, @unchecked Sendable {
    // The lock guards `inventory`, `continuations` and `requests`.
    private let lock = NSLock()
    private var inventory: Inventory
    private var continuations: [AsyncStream<Void>.Continuation] = []
    private(set) var requests: [GatewayRequest] = []

    init(_ inventory: Inventory = ConsoleFixtures.inventory()) { self.inventory = inventory }

    let location = "memory"
    let isReadOnly = false

    func load() async throws(StoreError) -> Inventory { lock.withLock { inventory } }

    func changes() -> AsyncStream<Void> {
        AsyncStream { continuation in lock.withLock { continuations.append(continuation) } }
    }

    /// Changes the objects as another process would, and tells the watchers.
    func externalChange(_ change: (inout Inventory) -> Void) {
        lock.withLock { change(&inventory) }
        notify()
    }

    private func notify() {
        for continuation in lock.withLock({ continuations }) { continuation.yield() }
    }

    func apply(_ objects: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] { [] }

    func setGateway(_ request: GatewayRequest) async throws(StoreError) -> GatewayChange {
        let gateway = Gateway(
            project: request.project, type: request.type,
            ports: [
                GatewayPort(name: "http", port: 80, nodePort: request.type == .nodePort ? 30798 : nil),
                GatewayPort(name: "https", port: 443, nodePort: request.type == .nodePort ? 31279 : nil),
            ], annotations: request.annotations ?? [:], governance: request.governance ?? false, resourceVersion: "1")
        lock.withLock {
            requests.append(request)
            inventory.gateways.removeAll { $0.project == request.project }
            inventory.gateways.append(gateway)
        }
        notify()
        return GatewayChange(gateway: gateway, staleHosts: [])
    }

    func deleteGateway(project: String) async throws(StoreError) {
        lock.withLock { inventory.gateways.removeAll { $0.project == project } }
        notify()
    }

    func createRoute(_ route: Route) async throws(StoreError) -> Route {
        lock.withLock { inventory.routes.append(route) }
        notify()
        return route
    }

    func updateRoute(_ route: Route) async throws(StoreError) -> Route {
        lock.withLock {
            inventory.routes.removeAll { $0.namespace == route.namespace && $0.name == route.name }
            inventory.routes.append(route)
        }
        notify()
        return route
    }

    func deleteRoute(project: String, name: String) async throws(StoreError) {
        lock.withLock { inventory.routes.removeAll { $0.namespace == project && $0.name == name } }
        notify()
    }
}

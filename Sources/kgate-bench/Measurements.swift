import Console
import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// The console's figures, each measured on the real code path: the workspace store, the
/// console's update and view, and the ncursesw backend writing to a pseudo-terminal.
struct Measurements {
    let terminal: NcursesTerminal
    let pty: PseudoTerminal
    let size = Size(columns: 80, rows: 24)
    let folder: String

    /// Load the workspace at `root` with a store of its own (as a new process would),
    /// open the project's routes, draw.
    func firstFrame(root: String) throws -> Double {
        let start = ContinuousClock.now
        let store = WorkspaceStore(root: root)
        let inventory = try load(store)
        let loaded = ContinuousClock.now
        var state = routesScreen(inventory: inventory, location: store.location)
        let opened = ContinuousClock.now
        terminal.present(view(state, size: size))
        let elapsed = ContinuousClock.now - start
        if BenchStages.isOn {
            BenchStages.report(
                String(
                    format: "first frame: load %.0f ms, routes screen %.0f ms, draw %.0f ms", (loaded - start).milliseconds,
                    (opened - loaded).milliseconds, (start + elapsed - opened).milliseconds))
        }
        _ = pty.drain()
        _ = update(&state, .key(.escape))
        return elapsed.milliseconds
    }

    /// The local gateway's nginx.conf for the project at `root` (loaded beforehand: the
    /// figure is the planning and printing only).
    func nginxRender(root: String) throws -> Double {
        let inventory = try load(WorkspaceStore(root: root))
        let layout = NginxLayout(folder: folder + "/nginx")
        // The median of five renders: one is a few tens of milliseconds, where a single
        // page-fault burst or context switch moves it by a third.
        // The plan is made and printed as the runtime does (`CheckedConfig`), which keeps
        // the plan it serves and frees the one before only after nginx has switched: the
        // clock stops before the plan is freed.
        var samples: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let plan = try NginxPlan.make(projects: [BenchWorkspace.project], inventory: inventory)
            let config = try NginxConfig.render(plan, layout: layout)
            samples.append((ContinuousClock.now - start).milliseconds)
            withExtendedLifetime(plan) {}
            guard config.contains("r09999") else { throw BenchError("nginx.conf lacks the last route") }
        }
        BenchStages.reportSorted("nginx render", samples)
        if BenchStages.isOn {
            let start = ContinuousClock.now
            let plan = try NginxPlan.make(projects: [BenchWorkspace.project], inventory: inventory)
            let planned = ContinuousClock.now
            let config = try NginxConfig.render(plan, layout: layout)
            BenchStages.report(
                String(
                    format: "nginx render, one more: plan %.1f ms, print %.1f ms, %d bytes, %d notes",
                    (planned - start).milliseconds, (ContinuousClock.now - planned).milliseconds, config.utf8.count,
                    plan.notes.count))
        }
        return samples.sorted()[samples.count / 2]
    }

    /// Key → finished frame (update, view, diff, write) while moving through the list.
    func keyToFrame(inventory: Inventory, keys: Int) -> [Double] {
        var state = routesScreen(inventory: inventory, location: "bench")
        terminal.present(view(state, size: size))
        _ = pty.drain()
        let moves = (0..<keys).map { i -> Key in (i / 500) % 2 == 0 ? .down : .up }
        return timeEachKey(moves, state: &state)
    }

    /// Bytes written to the terminal for moving the selection one row (median of 21 moves).
    func bytesPerRowMove(inventory: Inventory) -> Int {
        var state = routesScreen(inventory: inventory, location: "bench")
        terminal.present(view(state, size: size))
        _ = pty.drain()
        var counts: [Int] = []
        for _ in 0..<21 {
            _ = update(&state, .key(.down))
            terminal.present(view(state, size: size))
            counts.append(pty.drain())
        }
        return counts.sorted()[counts.count / 2]
    }

    /// Each keystroke of a filter typed, widened and retyped over `inventory`'s routes.
    func filterKeystrokes(inventory: Inventory) -> [Double] {
        var state = routesScreen(inventory: inventory, location: "bench")
        _ = update(&state, .key(.character("/")))
        terminal.present(view(state, size: size))
        _ = pty.drain()
        let script: [Key] =
            "apps1".map { .character($0) } + Array(repeating: .backspace, count: 5) + "r0999".map { .character($0) }
            + Array(repeating: .backspace, count: 5) + "example".map { .character($0) } + Array(repeating: .backspace, count: 7)
            + "api/v3".map { .character($0) }
        return timeEachKey(script, state: &state)
    }

    /// Each key's time to a finished frame: update, view, diff and write.
    private func timeEachKey(_ keys: [Key], state: inout ConsoleState) -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(keys.count)
        for key in keys {
            let start = ContinuousClock.now
            _ = update(&state, .key(key))
            terminal.present(view(state, size: size))
            samples.append((ContinuousClock.now - start).milliseconds)
            _ = pty.drain()
        }
        return samples
    }

    /// From another process's write (a second store on the same folder, watching it as
    /// another console does) to the console's finished frame: the change stream fires, the
    /// console loads again and draws. With `KGATE_BENCH_STAGES` set, each sample's stages go
    /// to standard error.
    func storeChangeToFrame(root: String, samples count: Int) throws -> [Double] {
        let store = WorkspaceStore(root: root)
        let other = WorkspaceStore(root: root)
        var state = routesScreen(inventory: try load(store), location: store.location)
        terminal.present(view(state, size: size))
        _ = pty.drain()
        let changes = ChangeSignal(store.changes())
        // The other writer watches the workspace as a console does, so that its writes can
        // trust what its watcher reported (`WorkspaceReader.readForWrite`).
        let otherWatch = ChangeSignal(other.changes())
        defer { otherWatch.stop() }
        let showsStages = BenchStages.isOn
        var samples: [Double] = []
        // Sample 0 is not counted: the other writer is a running process (another console)
        // that has read the workspace once already; its own first read is what the
        // first-frame figures measure, not this one.
        for i in 0...count {
            let created = BenchWorkspace.followRoute(named: "follow-\(i)")
            // Counted from before the write, so the write's own time is in the figure too.
            changes.reset()
            let start = ContinuousClock.now
            try awaitResult { _ = try await other.createRoute(created) }
            let written = ContinuousClock.now
            guard changes.wait(seconds: 5) else { throw BenchError("the change stream did not fire") }
            let signalled = ContinuousClock.now
            let loaded = try load(store)
            let read = ContinuousClock.now
            _ = update(&state, .loaded(.success(loaded)))
            let updated = ContinuousClock.now
            terminal.present(view(state, size: size))
            let end = ContinuousClock.now
            if i > 0 { samples.append((end - start).milliseconds) }
            if showsStages {
                let stages = [("write", start, written), ("signal", written, signalled), ("load", signalled, read),
                    ("update", read, updated), ("view", updated, end)]
                let line = stages.map { "\($0.0) \(String(format: "%.1f", ($0.2 - $0.1).milliseconds))" }.joined(separator: ", ")
                BenchStages.report("change → frame \(i)\(i == 0 ? " (not counted)" : ""): \(line) ms")
            }
            _ = pty.drain()
        }
        return samples
    }

    /// The console on project `bench`'s routes list, with `inventory` loaded.
    func routesScreen(inventory: Inventory, location: String) -> ConsoleState {
        var state = ConsoleState(options: ConsoleOptions(initialProject: BenchWorkspace.project), location: location)
        _ = state.start()
        _ = update(&state, .resize(size))
        _ = update(&state, .loaded(.success(inventory)))
        _ = update(&state, .key(.character("r")))
        return state
    }

    func load(_ store: WorkspaceStore) throws -> Inventory {
        let box = InventoryBox()
        try awaitResult { box.inventory = try await store.load() }
        guard let inventory = box.inventory else { throw BenchError("the workspace did not load") }
        return inventory
    }
}

private final class InventoryBox: @unchecked Sendable {
    var inventory: Inventory?
}

/// This process's peak resident memory: its address space's high-water mark (`VmHWM`).
/// Not `ru_maxrss`: Linux carries that over an exec from the address space replaced, and a
/// child spawned by a bench of 90 MB reported 90 MB whatever it held itself.
func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
    else {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
    return kilobytes / 1024
}

func percentile(_ samples: [Double], _ p: Double) -> Double {
    guard !samples.isEmpty else { return 0 }
    let sorted = samples.sorted()
    let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
    return sorted[max(0, index)]
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

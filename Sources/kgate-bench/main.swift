import ChildProcess
import Foundation
import GatewayKit
import GatewayRuntime
import Terminal

// kgate-bench: the console's speed and memory, measured on the real code paths (the
// workspace store, update/view, the ncursesw backend on a pseudo-terminal). Build it in
// release: `swift run -c release kgate-bench [--json] [--serving-only]`.

// The bench's figures of the console are those of `kgate`, which tunes malloc first.
MallocTuning.apply()

// `--write-access-log PATH`: the bench's own child, nginx writing its access log (see LogFollowBench).
AccessLogWriter.runIfAsked()

let asJSON = CommandLine.arguments.contains("--json")
/// `--only key,key…`: measure those figures alone (and what they need set up).
let only = CommandLine.arguments.firstIndex(of: "--only").flatMap { index in
    CommandLine.arguments.indices.contains(index + 1)
        ? Set(CommandLine.arguments[index + 1].split(separator: ",").map(String.init)) : nil
}
func wanted(_ keys: String...) -> Bool { only.map { !$0.isDisjoint(with: keys) } ?? true }

/// Following the gateway's logs and traffic at 1,000 requests/s (issue 12).
func followingFigures(root: String, runtimeFolder: String, terminal: NcursesTerminal, pty: PseudoTerminal) throws -> [Figure] {
    let following = try LogFollowBench(terminal: terminal, pty: pty, root: root, runtimeFolder: runtimeFolder).run()
    return [
        Figure(key: "logs_follow_key_to_frame_p99_ms", label: "key to frame p99, following 1,000 lines/s", value: percentile(following.keyToFrame, 99), unit: "ms", target: 2),
        Figure(key: "logs_follow_cpu_percent", label: "CPU following 1,000 lines/s (console)", value: following.cpuPercent, unit: "%", target: 5),
        Figure(key: "log_line_to_frame_ms", label: "log line → frame p99, 1,000 lines/s", value: percentile(following.lineToFrame, 99), unit: "ms", target: 250),
    ]
}

/// The figures asked for, or nil where a mode of its own (a first-frame child,
/// `--make-workspace`) printed what it was for. Curses, on a pseudo-terminal of the
/// bench's, is ended on every way out.
func measure(in folder: String) throws -> [Figure]? {
    guard let pty = PseudoTerminal(columns: 80, rows: 24) else { throw BenchError("cannot open a pseudo-terminal") }
    let terminal = try NcursesTerminal(
        options: NcursesTerminal.Options(
            inputDescriptor: pty.slave, outputDescriptor: pty.slave, terminalType: "xterm-256color", locale: "C.UTF-8",
            handlesSignals: false))
    defer { terminal.restore() }
    let bench = Measurements(terminal: terminal, pty: pty, folder: folder)

    // A child of this bench measuring one first frame in a process of its own (`FirstFrameProcess`).
    if let flag = CommandLine.arguments.firstIndex(of: FirstFrameProcess.flag), CommandLine.arguments.indices.contains(flag + 1) {
        let measured = try FirstFrameProcess.runChild(root: CommandLine.arguments[flag + 1], bench: bench)
        terminal.restore()
        print(measured)
        return nil
    }

    // `--make-workspace N DIR`: writes the bench's workspace of N routes into DIR/ws-N and
    // stops, for profiling one figure's work by hand (perf, callgrind) on what the bench reads.
    if let flag = CommandLine.arguments.firstIndex(of: "--make-workspace"), CommandLine.arguments.indices.contains(flag + 2),
        let count = Int(CommandLine.arguments[flag + 1]) {
        terminal.restore()
        try FileManager.default.createDirectory(atPath: CommandLine.arguments[flag + 2], withIntermediateDirectories: true)
        print(try BenchWorkspace.make(routes: count, in: CommandLine.arguments[flag + 2]))
        return nil
    }

    // `--only-ssh`: the SSH server's figures alone (the whole bench takes minutes).
    if CommandLine.arguments.contains("--only-ssh") {
        return try SSHBench.figures(folder: folder)
    }

    // `--following-only`: just these figures (the rest take minutes).
    if CommandLine.arguments.contains("--following-only") {
        return try followingFigures(
            root: try BenchWorkspace.make(routes: 1000, in: folder), runtimeFolder: folder + "/run-follow", terminal: terminal, pty: pty)
    }

    let processes = ProcessFigures(folder: folder)
    let root1000 = try BenchWorkspace.make(routes: 1000, in: folder)
    let root10000 = try BenchWorkspace.make(routes: 10000, in: folder)
    let workspacesMade = ContinuousClock.now
    let serving = ServingFigures(bench: bench, processes: processes)
    if CommandLine.arguments.contains("--serving-only") {
        // Render, nginx.conf, save → served and the cluster backend alone.
        return try serving.all(root10000: root10000)
    }
    var figures: [Figure] = []
    if wanted("first_frame_1000_ms") {
        figures.append(Figure(key: "first_frame_1000_ms", label: "first frame, 1,000 routes (load + draw)", value: try bench.firstFrame(root: root1000), unit: "ms", target: 150))
    }
    // Cold: no derived index, files in the page cache, written more than the store's settling
    // time before (`BenchWorkspace.settle`). Warm: a new store on the workspace unchanged
    // since the last one.
    if wanted("first_frame_10000_cold_ms", "first_frame_10000_warm_ms") {
        BenchWorkspace.settle(since: workspacesMade)
        figures.append(Figure(key: "first_frame_10000_cold_ms", label: "first frame, 10,000 routes, cold", value: try bench.firstFrame(root: root10000), unit: "ms", target: 400))
        figures.append(Figure(key: "first_frame_10000_warm_ms", label: "first frame, 10,000 routes, unchanged", value: try bench.firstFrame(root: root10000), unit: "ms", target: 100))
    }
    if wanted("store_change_to_frame_p99_ms") {
        let follow = try bench.storeChangeToFrame(root: root1000, samples: 20)
        figures.append(Figure(key: "store_change_to_frame_p99_ms", label: "another writer → frame p99, 1,000 routes", value: percentile(follow, 99), unit: "ms", target: 1000))
    }
    if wanted("change_to_frame_10000_p99_ms") {
        // Settled as in a whole run, where the first-frame figures come before: a workspace
        // written that same second is checked by its bytes on every read.
        BenchWorkspace.settle(since: workspacesMade)
        let follow10000 = try bench.storeChangeToFrame(root: root10000, samples: 20)
        figures.append(Figure(key: "change_to_frame_10000_p99_ms", label: "another writer → frame p99, 10,000 routes", value: percentile(follow10000, 99), unit: "ms", target: 50))
    }
    if wanted("render_10000_ms", "render_10000_cold_ms", "pyyaml_10000_ms", "render_10000_vs_pyyaml_ratio", "render_10000_cold_vs_pyyaml_ratio") {
        figures += try serving.render(root10000: root10000)
    }
    if wanted("nginx_render_10000_ms") {
        figures += try serving.nginx(root10000: root10000)
    }
    if wanted("key_to_frame_p50_ms", "key_to_frame_p99_ms", "row_move_bytes", "peak_memory_10000_mb") {
        let tenThousand = BenchWorkspace.inventory(routes: 10000)
        let moves = bench.keyToFrame(inventory: tenThousand, keys: 3000)
        figures.append(Figure(key: "key_to_frame_p50_ms", label: "key to frame p50, 10,000 routes", value: percentile(moves, 50), unit: "ms", target: 2))
        figures.append(Figure(key: "key_to_frame_p99_ms", label: "key to frame p99, 10,000 routes", value: percentile(moves, 99), unit: "ms", target: 2))
        figures.append(Figure(key: "row_move_bytes", label: "bytes written for a one-row move", value: Double(bench.bytesPerRowMove(inventory: tenThousand)), unit: "B", target: 400))
        // The console's memory with 10,000 routes: a first frame in a process of its own, as
        // `peak_memory_100000_mb` is, not this bench's peak after all it did before.
        let alone = try FirstFrameProcess.measure(root: root10000)
        figures.append(Figure(key: "peak_memory_10000_mb", label: "peak memory, 10,000 routes (own process)", value: alone.peakMB, unit: "MB", target: 80))
    }
    if wanted("filter_p50_ms", "filter_p99_ms") {
        let hundredThousand = BenchWorkspace.inventory(routes: 100_000)
        let filter = bench.filterKeystrokes(inventory: hundredThousand)
        figures.append(Figure(key: "filter_p50_ms", label: "filter keystroke p50, 100,000 routes", value: percentile(filter, 50), unit: "ms", target: 20))
        figures.append(Figure(key: "filter_p99_ms", label: "filter keystroke p99, 100,000 routes", value: percentile(filter, 99), unit: "ms", target: 20))
    }
    if wanted("endpoint_change_to_served_p99_ms") {
        if let served = try bench.endpointChangeToServed(samples: 20) {
            figures.append(Figure(key: "endpoint_change_to_served_p99_ms", label: "endpoint change → served p99 (nginx)", value: percentile(served, 99), unit: "ms", target: 1000))
        } else {
            Figure.notMeasured("endpoint_change_to_served_p99_ms", because: NginxBinary.missing)
        }
    }
    if wanted("save_to_served_1000_p99_ms") {
        figures += try serving.saveToServed()
    }
    if wanted("cluster_first_frame_10000_ms", "cluster_change_to_frame_10000_p99_ms") {
        figures += serving.cluster()
    }
    if wanted("ssh_idle_session_mb", "ssh_key_to_frame_p50_ms", "ssh_key_to_frame_p99_ms") {
        figures += try SSHBench.figures(folder: folder)
    }
    if wanted("first_frame_100000_warm_ms", "peak_memory_100000_mb") {
        // Each first frame in a process of its own: the first writes the index, the second is
        // measured, its memory apart from what this bench holds (`FirstFrameProcess`).
        let root100000 = try BenchWorkspace.make(routes: 100_000, in: folder)
        BenchWorkspace.settle(since: .now)
        _ = try FirstFrameProcess.measure(root: root100000)
        // The 100,000 files and the index just written are flushed first: the kernel writing
        // them back meanwhile is no part of a first frame on a workspace unchanged since the
        // last run (it moved this figure by a tenth from one run to the next).
        sync()
        let warm = try FirstFrameProcess.measure(root: root100000)
        figures.append(Figure(key: "first_frame_100000_warm_ms", label: "first frame, 100,000 routes, unchanged", value: warm.milliseconds, unit: "ms", target: 1000))
        figures.append(Figure(key: "peak_memory_100000_mb", label: "peak memory of that first frame (own process)", value: warm.peakMB, unit: "MB", target: 300))
    }
    if wanted("logs_follow_key_to_frame_p99_ms", "logs_follow_cpu_percent", "log_line_to_frame_ms") {
        // What the figures before wrote (100,000 files) is flushed first: the kernel writing it
        // back meanwhile is no part of following logs, and it showed in the key-to-frame tail.
        sync()
        figures += try followingFigures(root: root1000, runtimeFolder: folder + "/run-follow", terminal: terminal, pty: pty)
    }
    // On a file system of its own, and in the bench's folder on this machine's (see
    // `ScratchFileSystem`).
    if wanted("apply_10000_s", "apply_10000_here_s") {
        if let scratch = ScratchFileSystem.make(in: folder) {
            defer { scratch.remove() }
            figures.append(Figure(key: "apply_10000_s", label: "kgate apply -f, 10,000 Ingresses", value: try processes.apply(routes: 10000, in: scratch.mountPoint) / 1000, unit: "s", target: 1.5))
            figures.append(Figure(key: "apply_10000_here_s", label: "the same in the bench's folder", value: try processes.apply(routes: 10000) / 1000, unit: "s", target: .infinity))
        } else {
            figures.append(Figure(key: "apply_10000_s", label: "kgate apply -f, 10,000 Ingresses", value: try processes.apply(routes: 10000) / 1000, unit: "s", target: 1.5))
        }
    }
    return figures
}

// A failure ends the bench with its reason on stderr and exit status 1, its scratch folder
// removed: never a crash report, nor half a list of figures.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgate-bench-\(getpid())").path
let figures: [Figure]?
do {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    figures = try measure(in: folder)
} catch {
    try? FileManager.default.removeItem(atPath: folder)
    FileHandle.standardError.write(Data("kgate-bench: \(error)\n".utf8))
    exit(1)
}
try? FileManager.default.removeItem(atPath: folder)
if let figures { Figure.report(figures, asJSON: asJSON) }

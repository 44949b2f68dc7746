import Console
import Foundation
import GatewayKit
import GatewayStore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Following a gateway at 1,000 requests/s through the console's real run loop (inbox,
/// subscriptions, update, view, the ncursesw backend on a pseudo-terminal): a synthetic
/// source writes 1,000 access-log lines a second and answers traffic polls; the console
/// shows the Logs section, following.
struct LogFollowBench {
    struct Figures {
        /// Key written to the terminal → the frame after it, in ms.
        var keyToFrame: [Double]
        /// The process's CPU over the following phase, in percent of one core.
        var cpuPercent: Double
        /// A line emitted by the source → the first frame that shows it, in ms.
        var lineToFrame: [Double]
    }

    let terminal: NcursesTerminal
    let pty: PseudoTerminal
    let root: String

    func run(linesPerSecond: Int = 1000, keys: Int = 400, cpuSeconds: Double = 5) throws -> Figures {
        let source = SyntheticActivity(linesPerSecond: linesPerSecond)
        let observed = ObservedTerminal(terminal)
        let output = OutputDrain(pty)
        defer { output.stop() }
        let store = WorkspaceStore(root: root)
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = await ConsoleApp.run(
                store: store, terminal: observed, options: ConsoleOptions(initialProject: BenchWorkspace.project), activity: source)
            done.signal()
        }
        // The gateway's node port: shown once the objects are loaded, when `g` opens the detail.
        guard observed.waitForFrame(containing: "30080", seconds: 30) else { throw BenchError("the console did not load") }
        pty.type("g3")
        guard observed.waitForFrame(containing: "following", seconds: 10) else { throw BenchError("the Logs section did not follow") }
        observed.stopKeepingText()
        Thread.sleep(forTimeInterval: 1)  // the first tail drawn, the stream at its pace

        // CPU: following, no keys.
        let cpuStart = processCPUSeconds()
        let wallStart = ContinuousClock.now
        Thread.sleep(forTimeInterval: cpuSeconds)
        let cpuPercent = (processCPUSeconds() - cpuStart) / (ContinuousClock.now - wallStart).milliseconds * 100_000

        // Key to frame while the lines keep coming: k (pauses) and G (follows) in turn.
        var keyToFrame: [Double] = []
        for i in 0..<keys {
            guard let sample = observed.press(i % 2 == 0 ? "k" : "G", on: pty) else { throw BenchError("a key drew no frame") }
            keyToFrame.append(sample)
            Thread.sleep(forTimeInterval: 0.005)
        }

        // A line's way from the source to a frame: each frame's newest line, looked up.
        let lineToFrame = observed.lineLatencies(source: source, seconds: 3)
        pty.type("q")
        guard done.wait(timeout: .now() + 10) == .success else { throw BenchError("the console did not quit") }
        guard source.emittedCount >= linesPerSecond * Int(cpuSeconds) else {
            throw BenchError("the synthetic source fell behind: \(source.emittedCount) lines")
        }
        return Figures(keyToFrame: keyToFrame, cpuPercent: cpuPercent, lineToFrame: lineToFrame)
    }
}

/// User + system CPU time of the process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// The gateway at 1,000 requests/s: access-log lines numbered `seq=…`, 10 every 10 ms,
/// with the time each was emitted, and traffic reports counting them.
final class SyntheticActivity: GatewayActivitySource, @unchecked Sendable {
    let linesPerSecond: Int
    // The lock guards `emitted`.
    private let lock = NSLock()
    private var emitted: [ContinuousClock.Instant] = []

    init(linesPerSecond: Int) { self.linesPerSecond = linesPerSecond }

    var emittedCount: Int { lock.withLock { emitted.count } }

    func emittedAt(_ sequence: Int) -> ContinuousClock.Instant? {
        lock.withLock { emitted.indices.contains(sequence) ? emitted[sequence] : nil }
    }

    func health(project: String) async throws(StoreError) -> GatewayHealth {
        GatewayHealth(local: LocalGatewayProcesses(serving: true, masterPID: getpid(), workerPIDs: []))
    }

    func logs(project: String, tail: Int?, since: Duration?, follow: Bool) -> AsyncStream<GatewayLogEvent> {
        let perTick = max(1, linesPerSecond / 100)
        return AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                let start = ContinuousClock.now
                var tick = 0
                while !Task.isCancelled {
                    for _ in 0..<perTick {
                        let now = ContinuousClock.now
                        let sequence = self.lock.withLock {
                            self.emitted.append(now)
                            return self.emitted.count - 1
                        }
                        let text = "seq=\(sequence) 10.0.0.\(sequence % 250) - - \"GET /api/v1/items/\(sequence % 977) HTTP/1.1\" 200 512 0.003"
                        continuation.yield(.line(GatewayLogLine(source: "access", text: text)))
                    }
                    tick += 1
                    do { try await Task.sleep(until: start + .milliseconds(10 * tick), clock: .continuous) } catch { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func traffic(project: String, window: Duration) async throws(StoreError) -> TrafficReport {
        let count = emittedCount
        let requests = min(count, linesPerSecond * 60)
        return TrafficReport(
            project: project, windowSeconds: 60,
            routes: [
                RouteTraffic(
                    route: "r00000", host: "r00000.apps0.example.com", path: "/api/v1", requests: requests,
                    ratePerSecond: Double(requests) / 60, status: StatusClasses(success: requests),
                    latencyMs: LatencyPercentiles(p50: 3, p95: 8, p99: 12))
            ], unmatched: UnmatchedTraffic(requests: 0, status: StatusClasses()))
    }
}

/// The console's terminal, timed: when a key sent by the bench is read, and when the frame
/// after it is written; and each frame's screen for the line latency.
final class ObservedTerminal: ConsoleTerminal, @unchecked Sendable {
    private let base: NcursesTerminal
    // The condition guards every field below.
    private let condition = NSCondition()
    private var keySent: ContinuousClock.Instant?
    private var keyRead = false
    private var keySample: Double?
    private var lastText = ""
    /// Whether frames' text is kept for `waitForFrame` (off while measuring).
    private var keepsText = true
    private var watchLines: SyntheticActivity?
    private var lastSequence = -1
    private var lineSamples: [Double] = []

    init(_ base: NcursesTerminal) { self.base = base }

    var size: Size { base.size }
    var shouldTerminate: Bool { base.shouldTerminate }
    func wake() { base.wake() }

    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        let event = base.nextEvent(timeoutMilliseconds: timeoutMilliseconds)
        if case .key = event {
            condition.withLock { if keySent != nil { keyRead = true } }
        }
        return event
    }

    func present(_ screen: Screen) {
        base.present(screen)
        let now = ContinuousClock.now
        condition.lock()
        defer { condition.unlock() }
        if keyRead, let sent = keySent {
            keySample = (now - sent).milliseconds
            keySent = nil
            keyRead = false
        }
        if keepsText {
            lastText = screen.text
        } else if let source = watchLines {
            // The newest line shown is the last `seq=` on the screen.
            let text = screen.text
            if let range = text.range(of: "seq=", options: .backwards) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let newest = Int(digits), newest > lastSequence {
                    for sequence in (lastSequence + 1)...newest {
                        if let emitted = source.emittedAt(sequence) { lineSamples.append((now - emitted).milliseconds) }
                    }
                    lastSequence = newest
                }
            }
        }
        condition.broadcast()
    }

    func waitForFrame(containing needle: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !lastText.contains(needle) {
            if !condition.wait(until: deadline) { return lastText.contains(needle) }
        }
        return true
    }

    /// Stops keeping each frame's text: the measured phases draw as the console alone would.
    func stopKeepingText() { condition.withLock { keepsText = false } }

    /// Types `key` and waits for the frame after it: the time between, in ms.
    func press(_ key: String, on pty: PseudoTerminal) -> Double? {
        condition.withLock {
            keySample = nil
            keyRead = false
            keySent = ContinuousClock.now
        }
        pty.type(key)
        let deadline = Date().addingTimeInterval(2)
        condition.lock()
        defer { condition.unlock() }
        while keySample == nil {
            if !condition.wait(until: deadline) { break }
        }
        return keySample
    }

    /// For `seconds`, each line's time from its emission to the first frame showing it (or
    /// a newer line: a batch larger than the view scrolls some past in one frame).
    func lineLatencies(source: SyntheticActivity, seconds: Double) -> [Double] {
        condition.withLock {
            lastSequence = source.emittedCount - 1
            lineSamples = []
            watchLines = source
        }
        Thread.sleep(forTimeInterval: seconds)
        return condition.withLock {
            watchLines = nil
            return lineSamples
        }
    }
}

/// Reads the terminal's output as it is written, so the console never blocks on a full
/// pseudo-terminal (the bench's other figures drain it between frames themselves).
final class OutputDrain: @unchecked Sendable {
    private let pty: PseudoTerminal
    private let stopped = NSCondition()
    private var stopping = false
    private var finished = false

    init(_ pty: PseudoTerminal) {
        self.pty = pty
        let thread = Thread { [self] in loop() }
        thread.name = "kgate-bench pty drain"
        thread.start()
    }

    private func loop() {
        while !stopped.withLock({ stopping }) {
            var descriptor = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) > 0 { _ = pty.drain() }
        }
        stopped.withLock {
            finished = true
            stopped.broadcast()
        }
    }

    func stop() {
        stopped.lock()
        stopping = true
        while !finished { stopped.wait() }
        stopped.unlock()
    }
}

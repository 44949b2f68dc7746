import ChildProcess
import Console
import Foundation
import GatewayKit
import GatewayRuntime
import GatewayStore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Following a gateway at 1,000 requests/s through the console's real run loop (inbox,
/// subscriptions, update, view, the ncursesw backend on a pseudo-terminal) and the local
/// gateway's real log reader: a child process (this bench in `--write-access-log` mode)
/// appends 1,000 `kgate_traffic` lines a second to a project's access log, one write per
/// line as nginx does, and the console shows the Logs section, following it.
///
/// The CPU figure is the console's: the writer is another process, and the bench's thread
/// that reads the pseudo-terminal (a terminal emulator's work) is counted out.
struct LogFollowBench {
    struct Figures {
        /// Key written to the terminal → the frame after it, in ms.
        var keyToFrame: [Double]
        /// The console's CPU over the following phase, in percent of one core.
        var cpuPercent: Double
        /// A line written to the log → the first frame that shows it (or a newer one), in ms.
        var lineToFrame: [Double]
    }

    let terminal: NcursesTerminal
    let pty: PseudoTerminal
    let root: String
    /// Where the access log is written: the runtime folder of a `kgate serve`.
    let runtimeFolder: String

    func run(linesPerSecond: Int = 1000, keys: Int = 400, cpuSeconds: Double = 5) throws -> Figures {
        let layout = NginxLayout(folder: runtimeFolder)
        try FileManager.default.createDirectory(atPath: layout.logsFolder, withIntermediateDirectories: true)
        let log = layout.accessLog(project: BenchWorkspace.project)
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchError("cannot create \(log)") }
        let writer = try ChildProcess.start(
            ChildCommand(Bundle.main.executablePath ?? CommandLine.arguments[0], ["--write-access-log", log, "--lines-per-second", "\(linesPerSecond)"]))
        defer { _ = writer.stop(grace: 2) }
        let observed = ObservedTerminal(terminal)
        let output = OutputDrain(pty)
        defer { output.stop() }
        let store = WorkspaceStore(root: root)
        let done = DispatchSemaphore(value: 0)
        let activity = LocalGatewayActivity(runtimeFolder: runtimeFolder)
        Task {
            _ = await ConsoleApp.run(
                store: store, terminal: observed, options: ConsoleOptions(initialProject: BenchWorkspace.project), activity: activity)
            done.signal()
        }
        // The gateway's node port: shown once the objects are loaded, when `g` opens the detail.
        guard observed.waitForFrame(containing: "30080", seconds: 30) else { throw BenchError("the console did not load") }
        pty.type("g3")
        guard observed.waitForFrame(containing: "following", seconds: 10) else { throw BenchError("the Logs section did not follow") }
        observed.stopKeepingText()
        Thread.sleep(forTimeInterval: 1)  // the first tail drawn, the stream at its pace

        // CPU: following, no keys. The process's, less the pseudo-terminal reader's.
        let cpuStart = processCPUSeconds() - output.cpuSeconds()
        let wallStart = ContinuousClock.now
        Thread.sleep(forTimeInterval: cpuSeconds)
        let cpuPercent = (processCPUSeconds() - output.cpuSeconds() - cpuStart) / (ContinuousClock.now - wallStart).milliseconds * 100_000

        // Key to frame while the lines keep coming: k (pauses) and G (follows) in turn.
        let bytesBefore = output.bytes
        var keyToFrame: [Double] = []
        for i in 0..<keys {
            guard let sample = observed.press(i % 2 == 0 ? "k" : "G", on: pty) else { throw BenchError("a key drew no frame") }
            keyToFrame.append(sample)
            Thread.sleep(forTimeInterval: 0.005)
        }

        let keyBytes = output.bytes - bytesBefore
        // A line's way from the log to a frame: each frame's newest line, matched afterwards
        // with the time the writer wrote into each line.
        let frames = observed.newestLines(seconds: 3)
        pty.type("q")
        guard done.wait(timeout: .now() + 10) == .success else { throw BenchError("the console did not quit") }
        _ = writer.stop(grace: 2)
        let written = try WrittenLines(path: log)
        guard written.count >= linesPerSecond * Int(cpuSeconds) else { throw BenchError("the log writer fell behind: \(written.count) lines") }
        if BenchStages.isOn {
            let sorted = keyToFrame.sorted()
            BenchStages.report("key to frame: median \(sorted[sorted.count / 2]) ms, slowest \(sorted.suffix(8).map { ($0 * 100).rounded() / 100 })")
            let slow = (0..<keyToFrame.count).sorted { keyToFrame[$0] > keyToFrame[$1] }.prefix(8)
            let r = { (x: Double) in (x * 100).rounded() / 100 }
            BenchStages.report("slowest (total/read/update+view): \(slow.map { "\(r(keyToFrame[$0]))/\(r(observed.readDelays[$0]))/\(r(observed.viewDelays[$0]))" })")
            let views = observed.viewDelays.sorted()
            BenchStages.report("bytes written while keys were pressed: \(keyBytes)")
            BenchStages.report("update+view median \(r(views[views.count / 2]))")
        }
        return Figures(keyToFrame: keyToFrame, cpuPercent: cpuPercent, lineToFrame: written.latencies(frames))
    }
}

/// User + system CPU time of the process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.seconds
}

extension rusage {
    var seconds: Double {
        Double(ru_utime.tv_sec) + Double(ru_utime.tv_usec) / 1e6 + Double(ru_stime.tv_sec) + Double(ru_stime.tv_usec) / 1e6
    }
}

/// `kgate-bench --write-access-log PATH --lines-per-second N`: nginx at N requests/s, as
/// the bench's child. Appends `kgate_traffic` lines, 1 % of N every 10 ms, one write each;
/// each line holds its number (`seq`) and the wall time it was written, to the microsecond.
enum AccessLogWriter {
    static func runIfAsked() {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: "--write-access-log"), arguments.indices.contains(index + 1) else { return }
        let rate = arguments.firstIndex(of: "--lines-per-second").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 1000
        let file = open(arguments[index + 1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard file >= 0 else { exit(1) }
        let perTick = max(1, rate / 100)
        let start = ContinuousClock.now
        var sequence = 0
        for tick in 1... {
            for _ in 0..<perTick {
                var now = timeval()
                gettimeofday(&now, nil)
                let line = #"{"time":"\#(now.tv_sec).\#(String(now.tv_usec + 1_000_000).dropFirst())","seq":"\#(sequence)","route":"bench/web","#
                    + #""host":"web.bench.example.com","path":"/api","status":"200","request_time":"0.003","upstream_response_time":"0.003","#
                    + #""method":"GET","request_host":"web.bench.example.com","uri":"/api/v1/items/\#(sequence % 977)"}"# + "\n"
                let written = line.utf8CString.withUnsafeBytes { write(file, $0.baseAddress, $0.count - 1) }
                guard written > 0 else { exit(1) }
                sequence += 1
            }
            Thread.sleep(until: Date(timeIntervalSinceNow: ((start + .milliseconds(10 * tick)) - .now).milliseconds / 1000))
        }
    }
}

/// The lines the writer wrote: when each was written (wall time), by number.
struct WrittenLines {
    private var times: [Int: Double] = [:]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(separator: "\n") {
            guard let record = try? JSONReader.read(String(line)), case .string(let time)? = record["time"],
                case .string(let sequence)? = record["seq"], let seconds = Double(time), let number = Int(sequence)
            else { continue }
            times[number] = seconds
        }
    }

    var count: Int { times.count }

    /// For every line from the first frame's newest on: the time from its writing to the
    /// first frame that shows it or a newer line (a batch larger than the view scrolls some
    /// past in one frame), in ms.
    func latencies(_ frames: [(time: Double, newest: Int)]) -> [Double] {
        guard var last = frames.first?.newest else { return [] }
        var samples: [Double] = []
        for frame in frames.dropFirst() where frame.newest > last {
            for sequence in (last + 1)...frame.newest {
                if let written = times[sequence] { samples.append((frame.time - written) * 1000) }
            }
            last = frame.newest
        }
        return samples
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
    private var keyReadAt = ContinuousClock.now
    /// Per key sample: sent → read by the console, in ms (the rest is update, view, present).
    private(set) var readDelays: [Double] = []
    private(set) var viewDelays: [Double] = []
    private var lastText = ""
    /// Whether frames' text is kept for `waitForFrame` (off while measuring).
    private var keepsText = true
    /// While watching lines: each frame's wall time and the newest line number it shows.
    private var watchesLines = false
    private var frames: [(time: Double, newest: Int)] = []

    init(_ base: NcursesTerminal) { self.base = base }

    var size: Size { base.size }
    var shouldTerminate: Bool { base.shouldTerminate }
    func wake() { base.wake() }

    func nextEvent(timeoutMilliseconds: Int?) -> TerminalEvent? {
        let event = base.nextEvent(timeoutMilliseconds: timeoutMilliseconds)
        if case .key = event {
            condition.withLock {
                if keySent != nil, !keyRead {
                    keyRead = true
                    keyReadAt = .now
                }
            }
        }
        return event
    }

    func present(_ screen: Screen) {
        let presentStart = ContinuousClock.now
        base.present(screen)
        let now = ContinuousClock.now
        condition.lock()
        defer { condition.unlock() }
        if keyRead, let sent = keySent {
            keySample = (now - sent).milliseconds
            readDelays.append((keyReadAt - sent).milliseconds)
            viewDelays.append((presentStart - keyReadAt).milliseconds)
            keySent = nil
            keyRead = false
        }
        if keepsText {
            lastText = screen.text
        } else if watchesLines {
            // The newest line shown is the last `"seq":"…"` on the screen.
            let wall = Date().timeIntervalSince1970
            let text = screen.text
            if let range = text.range(of: #""seq":""#, options: .backwards), let newest = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                frames.append((wall, newest))
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

    /// For `seconds`, each frame's wall time and the newest line it shows.
    func newestLines(seconds: Double) -> [(time: Double, newest: Int)] {
        condition.withLock {
            frames = []
            watchesLines = true
        }
        Thread.sleep(forTimeInterval: seconds)
        return condition.withLock {
            watchesLines = false
            return frames
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

    /// The reading thread's CPU time so far, in seconds (its own, not the console's).
    func cpuSeconds() -> Double { stopped.withLock { readerCPU } }
    private var readerCPU = 0.0
    /// Bytes the console wrote to the terminal so far.
    var bytes: Int { stopped.withLock { drainedBytes } }
    private var drainedBytes = 0

    private func loop() {
        while !stopped.withLock({ stopping }) {
            var usage = rusage()
            getrusage(1, &usage)  // RUSAGE_THREAD (Glibc hides its name without _GNU_SOURCE)
            stopped.withLock { readerCPU = usage.seconds }
            var descriptor = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) > 0 {
                let count = pty.drain()
                stopped.withLock { drainedBytes += count }
            }
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

import Foundation
import GatewayKit

/// The local gateway at work, read from the runtime folder of the `kgate serve` that
/// serves (or served) a project: its nginx processes and last reload (`health`), its
/// access and error logs (`logs`), and its requests per route path (`traffic`, from the
/// access log's JSON lines, read incrementally).
///
/// The folder of a project is the first of `folders(project)` that holds the project's
/// access log: `serve --project P` and `serve --all` write to different folders.
public actor LocalGatewayActivity: GatewayActivitySource {
    private let folders: @Sendable (String) -> [String]
    /// A followed log is read when inotify tells it was written, at most once per this:
    /// nginx's lines show within it, and a thousand lines a second are a few reads.
    private let coalescing: Duration
    private var traffic: [String: TrafficLog] = [:]

    public init(folders: @escaping @Sendable (String) -> [String], coalescing: Duration = .milliseconds(50)) {
        self.folders = folders
        self.coalescing = coalescing
    }

    /// The folder `--runtime-dir` names, whichever project it serves.
    public init(runtimeFolder: String) {
        self.init(folders: { _ in [runtimeFolder] })
    }

    /// The default folders of `serve --project P` and `serve --all` for the workspace.
    public init(workspace: String, environment: [String: String]) {
        self.init(folders: { project in
            [project, nil].compactMap { try? RuntimeLocation.folder(workspace: workspace, project: $0, environment: environment) }
        })
    }

    nonisolated func layout(project: String) -> NginxLayout? {
        folders(project).map(NginxLayout.init(folder:)).first { layout in
            FileManager.default.fileExists(atPath: layout.accessLog(project: project))
        }
    }

    nonisolated func notServed(_ project: String) -> String {
        "kgate serve has not served project \(project) here (no \(NginxLayout.accessLogName(project: project)) in "
            + "\(folders(project).joined(separator: " or "))); start it with `kgate serve --project \(project)`"
    }

    public func health(project: String) async throws(StoreError) -> GatewayHealth {
        guard let layout = layout(project: project) else {
            return GatewayHealth(local: LocalGatewayProcesses(serving: false), unavailable: ["local gateway: \(notServed(project))"])
        }
        let processes = LocalProcesses.read(layout: layout)
        return GatewayHealth(
            local: processes,
            unavailable: processes.serving ? [] : ["local gateway: kgate serve is not running for project \(project)"])
    }

    public nonisolated func logs(project: String, tail: Int?, since: Duration?, follow: Bool) -> AsyncStream<GatewayLogEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: GatewayLogEvent.self, bufferingPolicy: .bufferingNewest(100_000))
        guard let layout = layout(project: project) else {
            continuation.yield(.failed(notServed(project)))
            continuation.finish()
            return stream
        }
        // Watching starts before the first read, so that nothing written between is missed.
        let changes =
            follow ? LogFolderChanges(folder: layout.logsFolder, names: LocalLogReader.names(project: project), coalescing: coalescing) : nil
        // A thread of its own: it sleeps in poll(2) until inotify has news, which a task
        // must not do on the shared pool.
        let thread = Thread {
            let reader = LocalLogReader(layout: layout, project: project)
            // The last lines of a large log: read from near its end (8 KiB a line is
            // more than nginx writes), unless `since` asks for older ones.
            if let tail, since == nil { reader.skip(toLast: max(256 << 10, tail * 8192)) }
            var lines = reader.readNew()
            if let since {
                let start = Date().addingTimeInterval(-Double(since.components.seconds))
                lines = lines.filter { ($0.time ?? .distantFuture) >= start }
            }
            if let tail { lines = Array(lines.suffix(max(0, tail))) }
            for line in lines { continuation.yield(.line(line)) }
            while let changes, changes.wait() {
                for line in reader.readNew() { continuation.yield(.line(line)) }
            }
            continuation.finish()
        }
        thread.name = "kgate.log-follower"
        continuation.onTermination = { _ in changes?.stop() }
        thread.start()
        return stream
    }

    public func traffic(project: String, window: Duration) async throws(StoreError) -> TrafficReport {
        let now = Date().timeIntervalSince1970
        let seconds = max(1, Int(window.components.seconds))
        guard let layout = layout(project: project) else {
            return TrafficReport(
                project: project, windowSeconds: seconds, routes: [], unmatched: UnmatchedTraffic(requests: 0, status: StatusClasses()),
                unavailable: notServed(project))
        }
        var log = traffic[layout.accessLog(project: project)] ?? TrafficLog(path: layout.accessLog(project: project))
        log.read(keeping: Double(seconds), now: now)
        traffic[layout.accessLog(project: project)] = log
        var report = TrafficAggregator.report(project: project, records: log.records, window: window, now: now)
        if !LocalProcesses.read(layout: layout).serving {
            report.unavailable = "kgate serve is not running for project \(project); the figures are from its access log"
        }
        return report
    }
}

/// A project's access log as records of the longest window asked for so far.
private struct TrafficLog {
    var tail: LogFileTail
    var records: [AccessRecord] = []
    var retention: Double = 0

    private var started = false

    init(path: String) { tail = LogFileTail(path: path) }

    mutating func read(keeping seconds: Double, now: Double) {
        retention = max(retention, seconds)
        let start = now - retention - 1
        if !started {
            // The first look skips the part of a long log older than the window.
            started = true
            tail.skip(toTime: start) { line in AccessRecord(line: line)?.time }
        }
        records.removeAll { $0.time < start }
        records += tail.readNew().compactMap(AccessRecord.init(line:)).filter { $0.time >= start }
    }
}

/// The access log (source `access`) and the error log (source `error`) of one project,
/// each read from where the last read ended, merged by time.
final class LocalLogReader {
    private let access: LogFileTail
    private let errors: LogFileTail

    init(layout: NginxLayout, project: String) {
        access = LogFileTail(path: layout.accessLog(project: project))
        errors = LogFileTail(path: layout.errorLog)
    }

    /// The file names it reads in the layout's logs folder, and their rotated names (nginx
    /// writes into a rotated file until it reopens its logs).
    static func names(project: String) -> Set<String> {
        let names = [NginxLayout.accessLogName(project: project), "error.log"]
        return Set(names + names.map { $0 + LogRotation.rotatedSuffix })
    }

    /// A line without a time of its own (a continuation, a foreign line) sorts as the one before it.
    private var lastAccessTime = Date.distantPast
    private var lastErrorTime = Date.distantPast

    func skip(toLast bytes: Int) {
        access.skip(toLast: bytes)
        errors.skip(toLast: bytes)
    }

    func readNew() -> [GatewayLogLine] {
        let accessLines = access.readNew().map { text in
            let time = Self.accessLogTime(text).map { Date(timeIntervalSince1970: $0) }
            lastAccessTime = time ?? lastAccessTime
            return (GatewayLogLine(source: "access", time: time, text: text), lastAccessTime)
        }
        let errorLines = errors.readNew().map { text in
            let time = Self.errorLogTime(text)
            lastErrorTime = time ?? lastErrorTime
            return (GatewayLogLine(source: "error", time: time, text: text), lastErrorTime)
        }
        guard !accessLines.isEmpty, !errorLines.isEmpty else { return (accessLines + errorLines).map(\.0) }
        // Stable: the lines of one file keep their order.
        var merged: [GatewayLogLine] = []
        var (a, e) = (accessLines[...], errorLines[...])
        while let next = a.first, let other = e.first {
            if other.1 < next.1 {
                merged.append(other.0)
                e = e.dropFirst()
            } else {
                merged.append(next.0)
                a = a.dropFirst()
            }
        }
        return merged + a.map(\.0) + e.map(\.0)
    }

    /// The `time` of a `kgate_traffic` line, read from its start (`{"time":"1764658800.123",…`)
    /// without parsing the whole line: a thousand lines a second are followed. Another line
    /// (a foreign format) is parsed as a whole.
    static func accessLogTime(_ line: String) -> Double? {
        let prefix = #"{"time":""#
        var utf8 = line.utf8[...]
        guard utf8.starts(with: prefix.utf8) else { return AccessRecord(line: line)?.time }
        utf8 = utf8.dropFirst(prefix.utf8.count)
        guard let end = utf8.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return Double(String(decoding: utf8[..<end], as: UTF8.self))
    }

    /// nginx's error log starts each line with local time: `2026/12/02 07:00:00 [notice] …`.
    static func errorLogTime(_ line: String) -> Date? {
        let digits = line.prefix(19)
        guard digits.count == 19 else { return nil }
        let parts = digits.split(whereSeparator: { $0 == "/" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        (components.hour, components.minute, components.second) = (parts[3], parts[4], parts[5])
        return Calendar.current.date(from: components)
    }
}

/// What nginx's master made of a reload signal, as its error log tells (kgate's config
/// logs at `notice`, so a reload always leaves lines there):
///
///     2026/12/02 10:30:00 [notice] 4242#4242: reconfiguring
///     2026/12/02 10:30:00 [notice] 4242#4242: start worker processes        ← loaded
///     2026/12/02 10:30:00 [emerg] 4242#4242: cannot load certificate "…"    ← refused
///
/// On SIGHUP the master parses the new config exactly as `nginx -t` would, and more
/// (it also binds new ports); a config it cannot load leaves the old one serving, and the
/// reason is an `[emerg]` (or `[alert]`, `[crit]`) line of the master's. So the reload
/// itself is the test, and kgate reads its verdict instead of running `nginx -t` first.
enum ReloadOutcome: Hashable, Sendable {
    case loaded
    case refused(String)

    /// Sends the master SIGHUP and waits (bounded) for its verdict in the error log.
    static func signal(_ master: NginxMaster, files: RuntimeFiles, within limit: Duration = .seconds(10)) async throws(NginxRefusal)
        -> ReloadOutcome
    {
        var offset = files.errorLogEnd
        var told = ""
        master.reload()
        let deadline = ContinuousClock.now + limit
        while true {
            if let tail = files.errorLog(from: offset) {
                told += tail.text
                offset = tail.end
                if let outcome = read(told, master: master.pid) { return outcome }
            }
            guard master.isRunning else { throw NginxRefusal("nginx exited while it reloaded: \(files.errorTail())") }
            guard ContinuousClock.now < deadline else {
                throw NginxRefusal("nginx did not say within \(limit) whether it took the new config: \(files.errorTail())")
            }
            try? await Task.sleep(for: .milliseconds(3))
        }
    }

    /// The verdict in `text` (the log's lines since the signal) from the master `pid`'s
    /// own lines, or nil while they tell none yet.
    static func read(_ text: String, master pid: Int32) -> ReloadOutcome? {
        var binds: [String] = []
        for line in text.split(separator: "\n") {
            guard let (level, message) = masterLine(line, pid: pid) else { continue }
            if message.hasPrefix("start worker processes") { return .loaded }
            guard ["emerg", "alert", "crit"].contains(level) else { continue }
            // nginx tries a busy port five times, half a second apart, before it gives up.
            if message.hasPrefix("bind() to ") {
                binds.append(String(message))
                continue
            }
            if message.hasPrefix("still could not bind") { return .refused(binds.first ?? String(message)) }
            return .refused(String(message))
        }
        return nil
    }

    /// The level and message of a line the process `pid` wrote (`… [level] pid#tid: message`).
    private static func masterLine(_ line: Substring, pid: Int32) -> (level: Substring, message: Substring)? {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        let level = line[line.index(after: open)..<close]
        let rest = line[line.index(after: close)...].drop { $0 == " " }
        guard let hash = rest.firstIndex(of: "#"), rest[..<hash] == Substring(String(pid)),
            let colon = rest[hash...].firstIndex(of: ":")
        else { return nil }
        return (level, rest[rest.index(after: colon)...].drop { $0 == " " })
    }
}

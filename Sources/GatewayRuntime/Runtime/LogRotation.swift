/// How `kgate serve` keeps its logs bounded: every `checkInterval` each log in the runtime
/// folder's logs/ (the projects' JSON access logs, access.log, error.log) that reached the
/// limit (64 MiB unless `--rotate-logs-at` says otherwise) is renamed to `<name>.1`,
/// replacing the previous one, made again empty, and nginx is told to reopen its logs
/// (SIGUSR1, nginx's documented way; see `NginxMaster.reopenLogs`). Until it has, nginx writes into the renamed file;
/// the readers (`LogFileTail`) finish that file before the new one, and a traffic window
/// that began before the rotation is read from `.1` first, so no request is lost or
/// counted twice. At most twice the limit per log is kept.
public enum LogRotation {
    public static let defaultLimit: Int64 = 64 << 20
    public static let rotatedSuffix = ".1"
    public static let checkInterval = Duration.seconds(2)

    /// `64MiB`, `512KiB`, `1GiB` or a number of bytes; nil for anything else (or under 1 KiB).
    public static func limit(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("", 1)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let number = Int64(text.dropLast(unit.count)), number > 0, number <= Int64.max / factor else { return nil }
            return number * factor >= 1024 ? number * factor : nil
        }
        return nil
    }
}

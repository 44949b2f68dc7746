import Foundation
import GatewayKit

/// The console's "last change" of an object, read from the audit log: the newest line
/// naming the object. The file is read from its end, a block at a time, so a long log
/// costs only its recent part; a line that does not parse is passed over (the log is
/// append-only and a crash may have cut its last line).
public struct AuditLogHistory: ChangeHistory {
    public let log: AuditLog
    /// Bytes read per step back through the file.
    let blockSize: Int

    public init(log: AuditLog, blockSize: Int = 64 * 1024) {
        self.log = log
        self.blockSize = max(1, blockSize)
    }

    /// The audit log `KGATE_AUDIT_LOG` names (as `kgate ssh-server --audit-log` sets it for
    /// its sessions' consoles), nil when it names none.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditLogHistory? {
        guard let path = environment["KGATE_AUDIT_LOG"], !path.isEmpty else { return nil }
        return AuditLogHistory(log: AuditLog(path: path))
    }

    public func lastChange(of reference: String) async -> ObjectChange? {
        guard let file = FileHandle(forReadingAtPath: log.path) else { return nil }
        defer { try? file.close() }
        guard let size = try? file.seekToEnd(), size > 0 else { return nil }
        var end = size
        // Bytes after the last full line seen so far (a line cut by the block boundary).
        var carry = Data()
        let decoder = JSONDecoder()
        while end > 0 {
            let start = end > UInt64(blockSize) ? end - UInt64(blockSize) : 0
            guard (try? file.seek(toOffset: start)) != nil, let block = try? file.read(upToCount: Int(end - start)) else {
                return nil
            }
            var chunk = block + carry
            // The first line of a block may be partial unless the block starts the file.
            var firstLineComplete = start == 0
            if !firstLineComplete, let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                carry = chunk[chunk.startIndex..<newline]
                chunk = chunk[chunk.index(after: newline)...]
                firstLineComplete = true
            } else if !firstLineComplete {
                carry = chunk
                chunk = Data()
            } else {
                carry = Data()
            }
            for line in chunk.split(separator: UInt8(ascii: "\n")).reversed() {
                guard let entry = try? decoder.decode(AuditEntry.self, from: Data(line)), entry.object == reference else {
                    continue
                }
                return ObjectChange(time: entry.time, who: entry.who, action: entry.action)
            }
            end = start
        }
        return nil
    }
}

import Foundation
import GatewayKit
import Glibc

/// One line of the audit log: who changed what, and the object's resourceVersion before
/// and after (nil: it did not exist / no longer exists).
public struct AuditEntry: Codable, Hashable, Sendable {
    public var time: String
    public var who: String
    public var action: String
    public var object: String
    public var project: String
    public var resourceVersionBefore: String?
    public var resourceVersionAfter: String?

    public init(
        time: String, who: String, action: String, object: String, project: String, before: String?, after: String?
    ) {
        self.time = time
        self.who = who
        self.action = action
        self.object = object
        self.project = project
        self.resourceVersionBefore = before
        self.resourceVersionAfter = after
    }
}

/// The audit log file: one JSON line per write, appended with O_APPEND (lines from several
/// processes never interleave) and fsync'd before the write is reported, mode 0600.
public struct AuditLog: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func append(_ entry: AuditEntry) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(entry) else { throw StoreError.unavailable(reason: "audit log: cannot encode the entry") }
        let line = Array(json) + [UInt8(ascii: "\n")]
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot be opened") }
        defer { close(descriptor) }
        // One write: with O_APPEND a line lands whole at the end, whoever else appends.
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else { throw failure("cannot be written") }
        guard fsync(descriptor) == 0 else { throw failure("cannot be synced") }
    }

    /// Every entry, oldest first; a line that does not parse is reported with its number.
    public func entries() throws(StoreError) -> [AuditEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot be read") }
        var entries: [AuditEntry] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(line)) else {
                throw StoreError.unavailable(reason: "audit log \(path):\(index + 1): not an audit entry (one JSON object a line)")
            }
            entries.append(entry)
        }
        return entries
    }

    private func failure(_ what: String) -> StoreError {
        StoreError.unavailable(reason: "audit log \(path): \(what): \(String(cString: strerror(errno)))")
    }
}

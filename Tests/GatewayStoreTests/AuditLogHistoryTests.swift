import Foundation
import GatewayKit
import GatewayStore
import Testing
import TestSupport

/// The console's "last change" of an object, read from the audit log's end.
@Suite struct AuditLogHistoryTests {
    static func entry(_ object: String, _ action: String, who: String = "local user op", time: String) -> AuditEntry {
        AuditEntry(time: time, who: who, action: action, object: object, project: "demo", before: nil, after: "1")
    }

    @Test func theNewestLineOfTheObjectIsItsLastChange() async throws {
        let folder = try TemporaryFolder("kgate-history")
        let log = AuditLog(path: folder.file("audit.log"))
        try log.append(Self.entry("Ingress demo/web", "route create", time: "2026-12-01T10:00:00Z"))
        try log.append(Self.entry("Gateway kubesphere-controls-system/kubesphere-router-demo", "gateway set", time: "2026-12-01T10:01:00Z"))
        try log.append(Self.entry("Ingress demo/web", "route edit", who: "SHA256:abc op@laptop", time: "2026-12-01T10:02:00Z"))
        try log.append(Self.entry("Ingress demo/api", "route create", time: "2026-12-01T10:03:00Z"))

        // Blocks of every size, down to a few bytes: lines cut by a block boundary are joined.
        for blockSize in [3, 17, 64, 100, 65536] {
            let history = AuditLogHistory(log: log, blockSize: blockSize)
            #expect(
                await history.lastChange(of: "Ingress demo/web")
                    == ObjectChange(time: "2026-12-01T10:02:00Z", who: "SHA256:abc op@laptop", action: "route edit"), "block \(blockSize)")
            #expect(
                await history.lastChange(of: "Gateway kubesphere-controls-system/kubesphere-router-demo")?.action == "gateway set",
                "block \(blockSize)")
            #expect(await history.lastChange(of: "Ingress demo/api")?.time == "2026-12-01T10:03:00Z", "block \(blockSize)")
            #expect(await history.lastChange(of: "Ingress demo/none") == nil, "block \(blockSize)")
        }
    }

    @Test func aMissingLogHasNoChangesAndADamagedLineIsPassedOver() async throws {
        let folder = try TemporaryFolder("kgate-history")
        #expect(await AuditLogHistory(log: AuditLog(path: folder.file("none.log"))).lastChange(of: "Ingress demo/web") == nil)
        let line = #"{"action":"route edit","object":"Ingress demo/web","project":"demo","time":"t1","who":"w"}"#
        // A crash may cut the last line: it is not a change, the one before is.
        try folder.write("audit.log", line + "\nnot json\n" + #"{"action":"route del"#)
        let history = AuditLogHistory(log: AuditLog(path: folder.file("audit.log")), blockSize: 8)
        #expect(await history.lastChange(of: "Ingress demo/web") == ObjectChange(time: "t1", who: "w", action: "route edit"))
    }

    @Test func theEnvironmentNamesTheLog() {
        #expect(AuditLogHistory.fromEnvironment([:]) == nil)
        #expect(AuditLogHistory.fromEnvironment(["KGATE_AUDIT_LOG": ""]) == nil)
        #expect(AuditLogHistory.fromEnvironment(["KGATE_AUDIT_LOG": "/var/log/kgate/audit.log"])?.log.path == "/var/log/kgate/audit.log")
    }
}

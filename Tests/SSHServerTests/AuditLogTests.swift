import Foundation
import Testing
import TestSupport

/// The audit log for local commands (`KGATE_AUDIT_LOG`) and `kgate audit`.
@Suite struct AuditLogTests {
    @Test func everyLocalWriteAppendsALineWithVersionsAndAuditShowsThem() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("kgate-audit")
        let log = folder.file("audit/audit.log")
        let environment = ["KGATE_AUDIT_LOG": log]
        let workspace = ["--workspace", folder.workspace]
        let create = try KGateProcess.run(
            ["route", "create", "demo", "web", "--rule", "web.example.com/=nginx:80"] + workspace, environment: environment)
        #expect(create.status == 0, "\(create)")
        let delete = try KGateProcess.run(["route", "delete", "demo", "web"] + workspace, environment: environment)
        #expect(delete.status == 0, "\(delete)")
        // A read writes nothing to the log.
        _ = try KGateProcess.run(["routes", "demo"] + workspace, environment: environment)

        let lines = (folder.read("audit/audit.log") ?? "").split(separator: "\n")
        #expect(lines.count == 2)
        let json = try KGateProcess.run(["audit", "--audit-log", log, "-o", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]] ?? []
        #expect(entries.map { $0["action"] } == ["route create", "route delete"])
        #expect(entries.map { $0["object"] } == ["Ingress demo/web", "Ingress demo/web"])
        #expect(entries.allSatisfy { $0["who"]?.hasPrefix("local user ") == true })
        #expect(entries.first?["resourceVersionBefore"] == nil && entries.first?["resourceVersionAfter"] != nil)
        #expect(entries.last?["resourceVersionBefore"] == entries.first?["resourceVersionAfter"])
        #expect(entries.last?["resourceVersionAfter"] == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: log)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let otherProject = try KGateProcess.run(["audit", "--audit-log", log, "--project", "shop"])
        #expect(otherProject.stdout.split(separator: "\n").count == 1, "only the header: \(otherProject)")
    }

    @Test func aDamagedLineIsNamed() throws {
        let folder = try TemporaryFolder("kgate-audit")
        try folder.write("audit.log", "{\"time\":\"t\",\"who\":\"w\",\"action\":\"a\",\"object\":\"o\",\"project\":\"p\"}\nnot json\n")
        let shown = try KGateProcess.run(["audit", "--audit-log", folder.file("audit.log")])
        #expect(shown.status == 1)
        #expect(shown.stderr.contains("audit.log:2: not an audit entry"), "\(shown)")
    }
}

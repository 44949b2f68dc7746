import ArgumentParser
import Foundation
import GatewayKit
import GatewayStore

/// `kgate audit`: the audit log's writes, oldest first.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the audit log: who changed which object, and its versions.")

    @Option(help: ArgumentHelp("The audit log (default: $KGATE_AUDIT_LOG).", valueName: "file")) var auditLog: String?
    @Option(help: "Only this project's writes.") var project: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: table or json.", valueName: "format")) var output = "table"

    func validate() throws {
        guard ["table", "json"].contains(output) else { throw ValidationError("-o: must be table or json, not \(output)") }
    }

    func run() throws {
        let path = auditLog ?? ProcessInfo.processInfo.environment["KGATE_AUDIT_LOG"] ?? ""
        guard !path.isEmpty else { throw Refusal("no audit log: give --audit-log FILE or set KGATE_AUDIT_LOG") }
        let entries: [AuditEntry]
        do {
            entries = try AuditLog(path: path).entries().filter { project == nil || $0.project == project }
        } catch {
            throw Refusal(error.description)
        }
        if output == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        print(["TIME", "WHO", "ACTION", "OBJECT", "VERSION"].joined(separator: "\t"))
        for entry in entries {
            let versions = "\(entry.resourceVersionBefore ?? "-") -> \(entry.resourceVersionAfter ?? "-")"
            print([entry.time, entry.who, entry.action, entry.object, versions].map(TerminalText.escaped).joined(separator: "\t"))
        }
    }
}

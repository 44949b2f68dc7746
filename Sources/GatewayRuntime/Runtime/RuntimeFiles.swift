import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// The runtime folder's files: folders nginx needs, the config, the TLS files, the lock,
/// all reached through checked folder descriptors (see `CheckedFolder`) and listed in the
/// folder's manifest before they are made.
///
/// Key files are created 0600 inside a 0700 folder, so there is no moment at which
/// another user could read them.
final class RuntimeFiles: @unchecked Sendable {
    let layout: NginxLayout
    private let root: CheckedFolder
    private let tls: CheckedFolder
    private let logs: CheckedFolder
    private var manifest: RuntimeManifest

    /// Opens the runtime folder, making it (0700) when it is missing; its parent must
    /// exist. An existing folder must be empty or hold only what its manifest lists.
    init(layout: NginxLayout) throws(NginxRefusal) {
        self.layout = layout
        let made = mkdir(layout.folder, 0o700) == 0
        if !made, errno != EEXIST {
            throw NginxRefusal("cannot make the runtime folder \(layout.folder): \(String(cString: strerror(errno)))")
        }
        let root = try CheckedFolder.open(layout.folder, isPrivate: made)
        let found = root.read(RuntimeManifest.fileName).flatMap { RuntimeManifest(text: String(decoding: $0, as: UTF8.self)) }
        if root.kind(of: RuntimeManifest.fileName) != nil, found == nil {
            throw NginxRefusal("refusing \(layout.folder): \(RuntimeManifest.fileName) there is not kgate's")
        }
        var manifest = found ?? RuntimeManifest(folderMadeByKgate: made)
        let foreign = manifest.foreign(try root.entries())
        guard foreign.isEmpty else {
            throw NginxRefusal(
                "refusing \(layout.folder): it holds files kgate did not make (\(foreign.prefix(3).joined(separator: ", "))"
                    + "\(foreign.count > 3 ? ", …" : "")); give an empty or new folder with --runtime-dir")
        }
        if manifest.folderMadeByKgate, !made { _ = try CheckedFolder.open(layout.folder, isPrivate: true) }
        self.root = root
        let folders = ["logs", "temp", "tls"] + NginxLayout.tempNames.map { "temp/\($0)" }
        let files = ["nginx.conf", "nginx.conf.next", "probe.conf", "nginx.pid", "serve.lock", "logs/error.log", "logs/access.log", NginxLayout.reloadRecordName]
        manifest.entries.formUnion(folders + files)
        try root.write(Data(manifest.text.utf8), to: RuntimeManifest.fileName, mode: 0o600)
        self.manifest = manifest
        logs = try root.subfolder("logs").folder
        let temp = try root.subfolder("temp").folder
        for name in NginxLayout.tempNames { try temp.nginxSubfolder(name) }
        tls = try root.subfolder("tls").folder
        let strangers = manifest.foreign(try tls.entries(), in: "tls")
        guard strangers.isEmpty else {
            throw NginxRefusal("refusing \(tls.path): it holds files kgate did not make (\(strangers.prefix(3).joined(separator: ", ")))")
        }
        for name in ["error.log", "access.log"] { try logs.touch(name, mode: 0o600) }
        // nginx writes the pid file itself; what stands there must be a file kgate can replace.
        try root.requireRegularOrAbsent("nginx.pid")
    }

    /// Writes `text` to the top-level file `name` (nginx.conf, its candidate, the probe)
    /// through a new file and a rename, so that nginx never reads half a config.
    func writeConfig(_ text: String, to name: String) throws(NginxRefusal) {
        try root.write(Data(text.utf8), to: name, mode: 0o600)
    }

    func remove(_ name: String) { root.removeFile(name) }

    /// Makes each project's access log (0600), listed in the manifest first; nginx -t
    /// opens them, so they exist before any config names them.
    func prepareAccessLogs(projects: [String]) throws(NginxRefusal) {
        let names = projects.map(NginxLayout.accessLogName(project:))
        try record(names.map { "logs/\($0)" })
        for name in names { try logs.touch(name, mode: 0o600) }
    }

    /// Rotates each log in logs/ of `limit` bytes or more: renamed to `<name>.1` (replacing
    /// the one before) and made again empty (0600), for nginx to reopen (see `LogRotation`).
    /// Returns the names rotated.
    func rotateLogs(atLeast limit: Int64) -> [String] {
        let names = ((try? logs.entries()) ?? []).filter { $0.hasSuffix(".log") && (logs.size(of: $0) ?? 0) >= limit }
        guard !names.isEmpty, (try? record(names.map { "logs/\($0)\(LogRotation.rotatedSuffix)" })) != nil else { return [] }
        return names.filter { name in
            guard logs.rename(name, to: name + LogRotation.rotatedSuffix) else { return false }
            try? logs.touch(name, mode: 0o600)
            return true
        }
    }

    /// Records when nginx last loaded a config and why the last change was refused.
    func writeReloadRecord(_ record: ReloadRecord) {
        try? root.write(record.data, to: NginxLayout.reloadRecordName, mode: 0o600)
    }

    var reloadRecord: ReloadRecord? { root.read(NginxLayout.reloadRecordName).flatMap(ReloadRecord.init(data:)) }

    /// Writes the certificate and key of each secret, decoded from base64, and removes the
    /// TLS files kgate made that are no longer used. Returns the secrets whose data is not
    /// base64 PEM, which the caller leaves out; their content is never shown.
    func writeSecrets(_ references: [SecretReference], from inventory: Inventory) throws(NginxRefusal) -> Set<SecretReference> {
        var broken: Set<SecretReference> = []
        var kept: Set<String> = []
        var pairs: [(name: String, data: Data)] = []
        for reference in references {
            guard
                let secret = inventory.secrets.first(where: { $0.namespace == reference.namespace && $0.name == reference.name }),
                let certificate = RuntimeFiles.pem(secret.certificate), let key = RuntimeFiles.pem(secret.key)
            else {
                broken.insert(reference)
                continue
            }
            pairs.append((fileName(layout.certificate(reference)), certificate))
            pairs.append((fileName(layout.key(reference)), key))
        }
        try record(pairs.map { "tls/\($0.name)" })
        for pair in pairs {
            try tls.write(pair.data, to: pair.name, mode: 0o600)
            kept.insert(pair.name)
        }
        for name in try tls.entries() where !kept.contains(name) && manifest.entries.contains("tls/\(name)") {
            tls.removeFile(name)
        }
        return broken
    }

    /// Removes every TLS file kgate made: key material does not outlive the gateway.
    func removeKeyMaterial() {
        for name in (try? tls.entries()) ?? [] where manifest.entries.contains("tls/\(name)") { tls.removeFile(name) }
    }

    /// The lock file's descriptor, opened without following a symlink.
    func openLock() throws(NginxRefusal) -> Int32 { try root.openForLock("serve.lock") }

    /// The pid nginx wrote, read without following a symlink.
    var recordedPID: Int32? {
        root.read("nginx.pid").flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Where nginx's error log ends now: what it writes after this is news.
    var errorLogEnd: Int { logs.size(of: "error.log") }

    /// What nginx wrote to its error log from `offset` on, and where that ends.
    func errorLog(from offset: Int) -> (text: String, end: Int)? {
        logs.read("error.log", from: offset).map { (text: String(decoding: $0.data, as: UTF8.self), end: $0.end) }
    }

    /// The last lines of nginx's error log.
    func errorTail(lines count: Int = 3) -> String {
        let text = logs.read("error.log").map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lines = text.split(separator: "\n").suffix(count)
        return lines.isEmpty ? "no message in \(layout.errorLog)" : lines.joined(separator: "\n")
    }

    /// Base64 text that decodes to something PEM-shaped; nil otherwise.
    static func pem(_ base64: String) -> Data? {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !data.isEmpty else {
            return nil
        }
        return String(decoding: data, as: UTF8.self).contains("-----BEGIN ") ? data : nil
    }

    /// Adds `paths` to the manifest, saved before the files are made, so that a crash
    /// never leaves a file of kgate's that the manifest does not name.
    private func record(_ paths: [String]) throws(NginxRefusal) {
        let missing = paths.filter { !manifest.entries.contains($0) }
        guard !missing.isEmpty else { return }
        manifest.entries.formUnion(missing)
        try root.write(Data(manifest.text.utf8), to: RuntimeManifest.fileName, mode: 0o600)
    }

    private func fileName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}

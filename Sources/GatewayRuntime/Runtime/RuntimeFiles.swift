import Foundation
import GatewayKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The runtime folder's files: folders nginx needs, the config, and the TLS files.
///
/// Key files are created 0600 inside a 0700 folder by `open(2)` with that mode, so there
/// is no moment at which another user could read them.
struct RuntimeFiles {
    let layout: NginxLayout

    func prepare() throws(NginxRefusal) {
        for folder in [layout.folder, layout.logsFolder, layout.tempFolder] {
            try makeFolder(folder, mode: 0o755)
        }
        try makeFolder(layout.tlsFolder, mode: 0o700)
    }

    /// Writes `text` to `path` through a temporary file and a rename, so that nginx never
    /// reads half a config.
    func writeConfig(_ text: String, to path: String) throws(NginxRefusal) {
        let temporary = "\(path).tmp-\(getpid())"
        try write(Data(text.utf8), to: temporary, mode: 0o644)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw NginxRefusal("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes the certificate and key of each secret, decoded from base64, and removes the
    /// files of secrets no longer used. Returns the secrets whose data is not base64 PEM,
    /// which the caller leaves out; their content is never shown.
    func writeSecrets(_ references: [SecretReference], from inventory: Inventory) throws(NginxRefusal) -> Set<SecretReference> {
        var broken: Set<SecretReference> = []
        var kept: Set<String> = []
        for reference in references {
            guard
                let secret = inventory.secrets.first(where: { $0.namespace == reference.namespace && $0.name == reference.name }),
                let certificate = RuntimeFiles.pem(secret.certificate), let key = RuntimeFiles.pem(secret.key)
            else {
                broken.insert(reference)
                continue
            }
            try write(certificate, to: layout.certificate(reference), mode: 0o600)
            try write(key, to: layout.key(reference), mode: 0o600)
            kept.insert(layout.certificate(reference))
            kept.insert(layout.key(reference))
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.tlsFolder)) ?? []
        for name in names where !kept.contains("\(layout.tlsFolder)/\(name)") {
            unlink("\(layout.tlsFolder)/\(name)")
        }
        return broken
    }

    /// Base64 text that decodes to something PEM-shaped; nil otherwise.
    static func pem(_ base64: String) -> Data? {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !data.isEmpty else {
            return nil
        }
        return String(decoding: data, as: UTF8.self).contains("-----BEGIN ") ? data : nil
    }

    private func makeFolder(_ path: String, mode: mode_t) throws(NginxRefusal) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw NginxRefusal("cannot create \(path): \(error.localizedDescription)")
        }
        chmod(path, mode)
    }

    private func write(_ data: Data, to path: String, mode: mode_t) throws(NginxRefusal) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw NginxRefusal("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, mode)
        let written = data.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let n = posixWrite(fd, base + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return offset }
                offset += n
            }
            return offset
        }
        guard written == data.count else {
            throw NginxRefusal("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// `write(2)`, named apart from `RuntimeFiles.write` so that the call is unambiguous.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

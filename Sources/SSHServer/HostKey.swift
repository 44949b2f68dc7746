import Crypto
import Foundation
import Glibc
import NIOSSH

/// The server's ed25519 host key: read from its file, or made and written there (mode 0600)
/// on first start. The file holds the 32-byte private key in base64 on one line, kgate's own
/// format (swift-crypto reads no OpenSSH private key files).
public struct HostKey: Sendable {
    public let privateKey: NIOSSHPrivateKey
    /// OpenSSH's `SHA256:...` form, as `ssh-keygen -lf` and the client's first prompt show it.
    public let fingerprint: String

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = NIOSSHPrivateKey(ed25519Key: privateKey)
        self.fingerprint = SSHFingerprint.of(self.privateKey.publicKey)
    }

    /// Reads the key at `path`, or creates it (and its folder) when there is none.
    public static func loadOrCreate(at path: String) throws(SSHServerError) -> HostKey {
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SSHServerError("host key \(path): cannot be read")
            }
            guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            else {
                throw SSHServerError("host key \(path): not a kgate ed25519 host key (one line of base64, 32 bytes)")
            }
            return HostKey(privateKey: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Created 0600 by open itself, so the key is never readable by others, not even briefly.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw SSHServerError("host key \(path): cannot be created: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let line = Array((key.rawRepresentation.base64EncodedString() + "\n").utf8)
        guard line.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == line.count,
            fsync(descriptor) == 0
        else {
            throw SSHServerError("host key \(path): cannot be written: \(String(cString: strerror(errno)))")
        }
        return HostKey(privateKey: key)
    }
}

/// Key fingerprints in OpenSSH's form: `SHA256:` and the unpadded base64 of the SHA-256 of
/// the key's wire encoding.
public enum SSHFingerprint {
    public static func of(_ key: NIOSSHPublicKey) -> String {
        // "algorithm base64-of-wire-encoding"; the second field is what is hashed.
        let fields = String(openSSHPublicKey: key).split(separator: " ")
        let blob = fields.count > 1 ? Data(base64Encoded: String(fields[1])) ?? Data() : Data()
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }
}

/// A reason the server cannot start or a file it reads is wrong; the message names the
/// file (and line) and says why.
public struct SSHServerError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

import ChildProcess
import Foundation
import NIOSSH
import Testing
import TestSupport

@testable import SSHServer

@Suite struct HostKeyTests {
    @Test func createdOnceWithMode0600AndReadBackTheSame() throws {
        let folder = try TemporaryFolder("kgate-hostkey")
        let path = folder.file("sub/ssh_host_ed25519_key")
        let created = try HostKey.loadOrCreate(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let read = try HostKey.loadOrCreate(at: path)
        #expect(read.fingerprint == created.fingerprint)
        try folder.write("bad", "not a key\n")
        #expect(throws: SSHServerError("host key \(folder.file("bad")): not a kgate ed25519 host key (one line of base64, 32 bytes)")) {
            try HostKey.loadOrCreate(at: folder.file("bad"))
        }
    }

    @Test func theFingerprintIsOpenSSHs() throws {
        let folder = try TemporaryFolder("kgate-hostkey")
        let key = try HostKey.loadOrCreate(at: folder.file("key"))
        try folder.write("key.pub", String(openSSHPublicKey: key.privateKey.publicKey) + "\n")
        var command = ChildCommand("/usr/bin/ssh-keygen", ["-l", "-f", folder.file("key.pub")])
        command.standardOutput = .capture
        let outcome = try ChildProcess.run(command, timeout: 30)
        // "256 SHA256:... no comment (ED25519)"
        #expect(outcome.outputText.split(separator: " ").dropFirst().first.map(String.init) == key.fingerprint)
    }
}

import Crypto
import Foundation
import NIOSSH
import Testing

@testable import SSHServer

@Suite struct AuthorizedKeysTests {
    let first = NIOSSHPrivateKey(ed25519Key: .init()).publicKey
    let second = NIOSSHPrivateKey(p256Key: .init()).publicKey

    @Test func optionsGiveRoleAndProjectsAndDefaultToAViewerOfAll() throws {
        let text = """
            # comment
            \(String(openSSHPublicKey: first)) alice@laptop
            role="operator",projects="demo, shop",no-pty \(String(openSSHPublicKey: second)) bob
            """
        let keys = try AuthorizedKeys(parsing: text, file: "keys")
        #expect(keys.access(for: first)?.role == .viewer)
        #expect(keys.access(for: first)?.projects == nil)
        #expect(keys.access(for: first)?.comment == "alice@laptop")
        #expect(keys.access(for: second)?.role == .`operator`)
        #expect(keys.access(for: second)?.projects == ["demo", "shop"])
        #expect(keys.access(for: NIOSSHPrivateKey(ed25519Key: .init()).publicKey) == nil)
    }

    @Test func aBadLineNamesItsLineAndFieldAndRefusesTheFile() {
        let text = "\(String(openSSHPublicKey: first)) a\nrole=\"admin\" \(String(openSSHPublicKey: second)) b\n"
        #expect(throws: SSHServerError("keys:2: role: must be \"viewer\" or \"operator\", not \"admin\"")) {
            try AuthorizedKeys(parsing: text, file: "keys")
        }
        #expect(throws: SSHServerError("keys:1: key: not a valid ssh-ed25519 public key")) {
            try AuthorizedKeys(parsing: "ssh-ed25519 AAAAnotakey c", file: "keys")
        }
        #expect(throws: SSHServerError("keys:1: projects: must be project names separated by commas, not \"demo,\"")) {
            try AuthorizedKeys(parsing: "projects=\"demo,\" \(String(openSSHPublicKey: first))", file: "keys")
        }
        #expect(throws: SSHServerError("keys:1: options: a double quote is not closed")) {
            try AuthorizedKeys(parsing: "role=\"viewer \(String(openSSHPublicKey: first))", file: "keys")
        }
    }

    @Test func rsaKeysAreRefusedWithTheReason() {
        #expect(throws: SSHServerError("keys:1: ssh-rsa keys are not supported by swift-nio-ssh; use an ed25519 or ecdsa key")) {
            try AuthorizedKeys(parsing: "ssh-rsa AAAAB3NzaC1yc2E= c", file: "keys")
        }
    }

    @Test func failedAttemptsBlockAnAddressForTheWindowOnly() {
        var attempts = FailedAttempts(limit: 3, window: 60)
        let start = Date(timeIntervalSince1970: 1000)
        for second in 0..<3 { attempts.record("10.0.0.1", at: start.addingTimeInterval(Double(second))) }
        #expect(attempts.isBlocked("10.0.0.1", at: start.addingTimeInterval(3)))
        #expect(!attempts.isBlocked("10.0.0.2", at: start.addingTimeInterval(3)))
        #expect(!attempts.isBlocked("10.0.0.1", at: start.addingTimeInterval(61)))
    }

    @Test func listenAddressesParseOrNameTheirFault() throws {
        #expect(try ServerConfiguration.parseListen("0.0.0.0:2222") == ("0.0.0.0", 2222))
        #expect(try ServerConfiguration.parseListen("[::1]:22") == ("::1", 22))
        #expect(try ServerConfiguration.parseListen("2222") == ("127.0.0.1", 2222))
        #expect(throws: SSHServerError("--listen: the port must be a number from 0 to 65535 in \"host:ssh\"")) {
            try ServerConfiguration.parseListen("host:ssh")
        }
    }
}

import Foundation
import GatewayKit
@testable import GatewayStore
import Testing
import TestSupport

/// Issue 7 item 1: a kubeconfig's secrets never reach a message, and nothing from the
/// file can drive the terminal.
@Suite("Kubeconfig: secrets are never printed")
struct KubeconfigSecretsTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("kubeconfig-secrets") }

    private func refusal(_ text: String, file: String = "config") throws -> StoreError? {
        let path = folder.file(file)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
            return nil
        } catch {
            return error
        }
    }

    @Test("a YAML error names the file, line, column and key path, never the line's text")
    func parseErrorHidesTheValue() throws {
        let error = try #require(try refusal("""
            apiVersion: v1
            clusters:
            - name: c
              cluster:
                server: https://10.0.0.1:6443
            users:
            - name: c
              user:
                token: SECRET: oops
            """))
        let message = error.description
        #expect(!message.contains("SECRET"), "\(message)")
        #expect(!message.contains("oops"), "\(message)")
        #expect(message.contains(folder.file("config")))
        #expect(message.contains("users[0].user.token"), "\(message)")
        #expect(message.contains("line 9, column 18: mapping values are not allowed"), "\(message)")
    }

    @Test("the key path follows lists and nesting as kubectl writes them", arguments: [
        ("a:\n  b:\n    c: x: y", 3, "a.b.c"),
        ("users:\n- name: a\n- name: b\n  user:\n    token: [", 5, "users[1].user.token"),
        ("clusters:\n  - name: a\n    cluster:\n      server: x\nusers:\n  - name: u\n    user: {", 7, "users[0].user"),
        ("# comment\n\nkey: 'quoted: value'\nother: \"q\": x", 4, "other"),
    ])
    func keyPaths(text: String, line: Int, path: String) {
        #expect(KubeconfigSyntax.keyPath(text, line: line).description == path)
    }

    @Test("userinfo in a server URL is never shown: not in the location, nor in an error")
    func serverUserinfo() throws {
        let path = folder.file("userinfo")
        try """
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://admin:hunter2@10.0.0.1:6443/prefix
            contexts:
            - name: c
              context: {cluster: c}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let connection = try KubeconfigLoader.connection(kubeconfig: path, context: nil, environment: [:])
        #expect(connection.description == "cluster c (https://REDACTED@10.0.0.1:6443/prefix)")
        #expect(try KubernetesStore(connection: connection).location == connection.description)

        let bad = try #require(try refusal("""
            clusters:
            - name: c
              cluster:
                server: ftp://user:pw@host
            """, file: "scheme"))
        #expect(!bad.description.contains("pw"), "\(bad)")
        #expect(bad.description.contains("ftp://REDACTED@host"), "\(bad)")
    }

    @Test("control characters from the file are escaped in the message")
    func controlCharactersEscaped() throws {
        let error = try #require(try refusal("""
            current-context: "evil\\e[2J\\u202Ename"
            contexts: []
            """))
        let message = error.description
        #expect(!message.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(message)")
        #expect(message.contains("evil\\u{1B}[2J\\u{202E}name"), "\(message)")
    }
}

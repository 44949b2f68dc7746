import Foundation
import GatewayKit
import GatewayStore
import Glibc
import Testing
import TestSupport

/// Issue 7 item 11: a server that is not there is reported at once and in plain words.
@Suite("Cluster connection errors")
struct ConnectionErrorTests {
    /// Why loading from `server` failed (nil when it did not).
    private func refusal(_ server: String) async throws -> StoreError? {
        let store = try KubernetesStore(connection: ClusterConnection(contextName: "c", server: server))
        do {
            _ = try await store.load()
            return nil
        } catch {
            return error
        }
    }

    @Test("a closed loopback port reads \"connection refused\" with the address")
    func refusedInPlainWords() async throws {
        let port = try Self.closedPort()
        let error = try #require(try await refusal("https://127.0.0.1:\(port)"))
        #expect(
            error.description.contains("cannot reach the API server https://127.0.0.1:\(port): connection refused (nothing listens on 127.0.0.1:\(port))"),
            "\(error)")
        #expect(!error.description.contains("error set"), "\(error)")
    }

    @Test("the command line says so at once, not after the 10 s connect timeout")
    func refusedAtOnce() throws {
        let port = try Self.closedPort()
        let folder = try TemporaryFolder("refused")
        try """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:\(port)"}
            contexts:
            - name: c
              context: {cluster: c}
            """.write(toFile: folder.file("config"), atomically: true, encoding: .utf8)
        // Timed in a process of its own: this one's threads may be busy with other tests.
        let started = Date()
        let result = try KGateProcess.run(["projects", "--kubeconfig", folder.file("config")])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 1)
        #expect(result.stderr.contains("connection refused (nothing listens on 127.0.0.1:\(port))"), "\(result)")
        // Generous, for a loaded machine: the point is "not the 10 s connect timeout".
        #expect(elapsed < 5, "took \(elapsed) s")
    }

    @Test("the server's userinfo is not in a connection error")
    func userinfoNotInErrors() async throws {
        let port = try Self.closedPort()
        let error = try #require(try await refusal("https://me:hunter2@127.0.0.1:\(port)"))
        #expect(!error.description.contains("hunter2"), "\(error)")
        #expect(error.description.contains("https://REDACTED@127.0.0.1:\(port)"), "\(error)")
    }

    /// A loopback port nothing listens on: bound to learn a free number, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw KGateProcess.Failure("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw KGateProcess.Failure("bind: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

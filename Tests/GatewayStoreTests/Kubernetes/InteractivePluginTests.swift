import Foundation
import Glibc
import Testing
import TestSupport

/// Issue 11 item 2: exec plugins with `interactiveMode`, as kubectl runs them: Never gets
/// no terminal; IfAvailable gets it when kgate has one; Always is refused without one. In
/// the console, the console leaves the screen while the plugin reads the terminal, then
/// comes back. Driven through the real binary in tmux.
@Suite("Interactive exec credential plugins")
struct InteractivePluginTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("interactive-plugin") }

    /// A plugin that records its terminal and `KUBERNETES_EXEC_INFO`, asks for a one-time
    /// code on the terminal when `asks`, and answers `token-<run>` for the code 4242.
    func kubeconfig(_ server: TestAPIServer, mode: String, asks: Bool) throws -> String {
        let plugin = folder.file("plugin.sh")
        let ask = asks
            ? """
            printf 'one-time code (run %s): ' "$run" >&2
            read -r code || exit 3
            [ "$code" = 4242 ] || { echo "wrong code" >&2; exit 1; }
            """
            : ""
        try """
            #!/bin/sh
            echo run >> '\(folder.file("runs"))'
            run=$(wc -l < '\(folder.file("runs"))' | tr -d ' ')
            tty > '\(folder.file("tty"))'.$run
            printf '%s\\n' "$KUBERNETES_EXEC_INFO" > '\(folder.file("info"))'.$run
            \(ask)
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"token-'$run'"}}'

            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        return try server.kubeconfig(
            cluster: server.authority,
            user: ["exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: \(mode), command: \(plugin)}"])
    }

    func tty(run: Int) -> String { (folder.read("tty.\(run)") ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    func interactive(run: Int) -> Bool { (folder.read("info.\(run)") ?? "").replacingOccurrences(of: " ", with: "").contains("\"interactive\":true") }

    func open(_ arguments: String) throws -> TmuxSession {
        try TmuxSession(
            command: "\(KGateProcess.binary) \(arguments); echo \"kgate exited $?\"",
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
    }

    @Test("Always in the console: the plugin asks on the terminal before the console starts and, later, with the console stepped aside")
    func consoleStepsAside() async throws {
        let server = try await KubeFixture.server(expectingToken: "token-1")
        defer { Task { await server.stop() } }
        let kubeconfig = try kubeconfig(server, mode: "Always", asks: true)
        let session = try open("--kubeconfig \(kubeconfig)")

        // The first load, before the screen is taken: the plain terminal.
        try session.waitFor("one-time code (run 1):")
        try session.type("4242")
        try session.send("Enter")
        // The context's namespace (demo) is the console's first page.
        try session.waitFor(timeout: 20, "the console") { $0.contains("demo") && $0.contains("Internet Access") }
        #expect(try session.paneFormat("#{alternate_on}") == "1")
        #expect(tty(run: 1).hasPrefix("/dev/pts/") && interactive(run: 1), "run 1: \(tty(run: 1))")

        // The server stops taking the token: the next requests get 401 and run the plugin again.
        server.cluster.expectedToken = "token-2"
        server.cluster.dropWatches()
        let prompt = try session.waitFor(timeout: 30, "the second prompt") { $0.contains("one-time code (run 2):") }
        #expect(try session.paneFormat("#{alternate_on}") == "0", "the console did not leave the screen:\n\(prompt)")
        try session.type("4242")
        try session.send("Enter")
        // Back: the console's screen again, drawn whole.
        try session.waitFor(timeout: 20, "the console back") { $0.contains("demo") && $0.contains("Internet Access") && !$0.contains("one-time code") }
        #expect(try session.paneFormat("#{alternate_on}") == "1")
        #expect(tty(run: 2).hasPrefix("/dev/pts/") && interactive(run: 2), "run 2: \(tty(run: 2))")
        // Requests flow again with the new token, and the console still takes keys.
        #expect(await eventually(20) { server.cluster.requests.contains { $0.authorization == "Bearer token-2" && $0.path.hasSuffix("ingresses") } })
        try session.send("q")
        try session.waitFor(timeout: 20, "kgate exited 0") { $0.contains("kgate exited 0") }
        #expect((folder.read("runs") ?? "").split(separator: "\n").count == 2, "the plugin ran once per token")
    }

    @Test("on the command line in a terminal: IfAvailable gets it, Never does not", arguments: ["IfAvailable", "Never"])
    func commandLineInATerminal(mode: String) async throws {
        let server = try await KubeFixture.server(expectingToken: "token-1")
        defer { Task { await server.stop() } }
        let kubeconfig = try kubeconfig(server, mode: mode, asks: mode == "IfAvailable")
        let session = try open("projects --kubeconfig \(kubeconfig)")
        if mode == "IfAvailable" {
            try session.waitFor("one-time code (run 1):")
            try session.type("4242")
            try session.send("Enter")
        }
        try session.waitFor(timeout: 20, "kgate exited 0") { $0.contains("kgate exited 0") }
        #expect(try session.screen().contains("shop"))
        if mode == "IfAvailable" {
            #expect(tty(run: 1).hasPrefix("/dev/pts/") && interactive(run: 1))
        } else {
            #expect(tty(run: 1) == "not a tty" && !interactive(run: 1), "\(tty(run: 1))")
        }
    }

    @Test("without a terminal: IfAvailable runs without one; Always is refused and never runs")
    func noTerminal() async throws {
        let server = try await KubeFixture.server(expectingToken: "token-1")
        defer { Task { await server.stop() } }
        let ifAvailable = try KGateProcess.run(["projects", "--kubeconfig", try kubeconfig(server, mode: "IfAvailable", asks: false)])
        #expect(ifAvailable.status == 0, "\(ifAvailable)")
        #expect(tty(run: 1) == "not a tty" && !interactive(run: 1))

        let always = try KGateProcess.run(["projects", "--kubeconfig", try kubeconfig(server, mode: "Always", asks: false)])
        #expect(always.status == 1 && always.stderr.contains("needs a terminal (interactiveMode: Always)"), "\(always)")
        #expect((folder.read("runs") ?? "").split(separator: "\n").count == 1, "Always ran without a terminal")
    }
}

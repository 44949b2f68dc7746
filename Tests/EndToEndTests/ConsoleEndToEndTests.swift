import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The built `kgate` console in a real terminal (tmux), walked the way an operator walks
/// KubeSphere's Internet Access page: every step waits for text on the screen.
@Suite("Console end to end")
struct ConsoleEndToEndTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("console") }

    /// kgate in a shell that reports its exit status and the terminal modes it left behind.
    func open(_ arguments: String = "--project demo", width: Int = 80, height: Int = 24) throws -> TmuxSession {
        let command =
            "echo $$ > \(folder.file("pid")); \(KGateProcess.binary) --workspace \(workspace) \(arguments);"
            + " echo \"kgate exited $?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo"
        return try TmuxSession(
            command: command, width: width, height: height, environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
    }

    /// The terminal after kgate left: the shell's own screen, line editing and echo back on.
    func expectRestored(_ session: TmuxSession, status: Int) throws {
        let screen = try session.waitFor("kgate exited \(status)")
        let modes = try session.waitFor(timeout: 5, "the terminal modes") { $0.contains("icanon echo") || $0.contains("-icanon") || $0.contains("-echo") }
        #expect(modes.contains("icanon echo"), "\(screen)")
        #expect(try session.paneFormat("#{alternate_on}") == "0")
    }

    @Test("the seed's walk: set a NodePort gateway, read ports and URLs, create a route, see a bad host's error, leave")
    func seedWalk() throws {
        let session = try open()
        try session.waitFor("Gateway Not Set")
        try session.send("s")
        try session.waitFor("Access Method")
        #expect(try session.screen().contains("● NodePort"))
        try session.send("Enter")
        // Saved with two keys; the card shows the node ports and URLs with no further key.
        let card = try session.waitFor(timeout: 10, "the node ports") { $0.contains("Node Port") && $0.contains("http:3") }
        let ports = try #require(card.split(separator: "\n").first { $0.contains("Node Port") })
        #expect(ports.contains("; https:3"))
        #expect(card.contains("http://139.198.0.20:3"))
        #expect(card.contains("ExternalIP"))

        try session.send("r")
        try session.waitFor("demo.kubesphere.io")
        try session.send("n")
        try session.waitFor("New Route")
        try session.type("web")
        try session.send("Tab", "Tab", "Tab", "Right", "Tab", "Tab")  // alias, description, mode → Specify Domain, protocol, host
        try session.waitFor("Specify Domain")
        for _ in 0..<40 { try session.send("BSpace") }
        try session.type("1.2.3.4")
        try session.waitFor("must be a DNS name, not an IP address")
        for _ in 0..<7 { try session.send("BSpace") }
        try session.type("web.example.com")
        try session.waitFor(timeout: 10, "the error to clear") { !$0.contains("not an IP address") }
        try session.send("C-s")
        let routes = try session.waitFor("Route web saved")
        #expect(routes.contains("web.example.com"))
        #expect(routes.contains("http://web.example.com:3"))

        try session.send("q")
        try expectRestored(session, status: 0)
        let shown = try KGateProcess.run(["route", "show", "demo", "web", "-o", "json", "--workspace", workspace])
        #expect(shown.stdout.contains("\"host\": \"web.example.com\""))
    }

    @Test("a gateway set from another terminal shows up without a key press")
    func followsTheStore() throws {
        let session = try open()
        try session.waitFor("Gateway Not Set")
        let set = try KGateProcess.run([
            "gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "30798", "--https-node-port", "31279",
            "--workspace", workspace,
        ])
        #expect(set.status == 0, "\(set)")
        try session.waitFor("http:30798; https:31279", timeout: 2)
        try session.send("C-c")
        try expectRestored(session, status: 0)
    }

    @Test("SIGTERM and SIGHUP leave the terminal restored", arguments: [SIGTERM, SIGHUP])
    func signals(signal: Int32) throws {
        let session = try open()
        try session.waitFor("Gateway Not Set")
        let shell = try #require(folder.read("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        // kgate is the shell's only child.
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let kgate = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        kill(kgate, signal)
        try expectRestored(session, status: 128 + Int(signal))
    }

    @Test("the console's project list and `kgate projects` show the same rows in the same words")
    func projectListsAgree() throws {
        let cli = try KGateProcess.run(["projects", "--workspace", workspace])
        #expect(cli.status == 0, "\(cli)")
        let cliRows = cli.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(cliRows.count > 1)
        let session = try open("")
        // Waits for the whole list: tmux may capture a frame that ncurses is still writing.
        try session.waitFor("every row of `kgate projects`") { screen in
            let consoleRows = screen.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            return cliRows.allSatisfy(consoleRows.contains)
        }
        try session.send("q")
        try expectRestored(session, status: 0)
    }

    @Test("small terminals degrade to a notice and come back; read-only refuses writes")
    func smallAndReadOnly() throws {
        let session = try open("--project demo --read-only")
        try session.waitFor("Gateway Not Set")
        try session.send("s")
        try session.waitFor("read-only")
        try session.resize(width: 30, height: 8)
        try session.waitFor("too small")
        try session.resize(width: 1, height: 1)
        try session.resize(width: 80, height: 24)
        try session.waitFor("Gateway Not Set")
        try session.send("q")
        try expectRestored(session, status: 0)
    }
}

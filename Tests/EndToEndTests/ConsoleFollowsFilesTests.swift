import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The console follows files changed by hand behind it (an editor, `git pull`): the
/// workspace's watcher tells which files, and the next frame shows what they say now
/// (issue 15: a change costs work for that file, and the views stay right).
@Suite("Console follows hand-edited files")
struct ConsoleFollowsFilesTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("follow-files") }

    func write(_ text: String, to relative: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(workspace)/\(relative)"))
    }

    @Test("a route file edited, added and removed by hand shows in the routes list without a key press")
    func followsHandEdits() throws {
        let session = try TmuxSession(
            command: "\(KGateProcess.binary) --workspace \(workspace) --project demo; echo \"kgate exited $?\"", width: 100, height: 24,
            environment: ["LANG": "C.UTF-8", "TERM": "xterm-256color"])
        try session.waitFor("Gateway Not Set")
        try session.send("r")
        try session.waitFor("demo.kubesphere.io")

        let original = try String(contentsOfFile: "\(workspace)/demo/ingress-demo.yaml", encoding: .utf8)
        try write(original.replacingOccurrences(of: "demo.kubesphere.io", with: "edited.example.com"), to: "demo/ingress-demo.yaml")
        try session.waitFor("edited.example.com", timeout: 5)

        let added = original.replacingOccurrences(of: "demo.kubesphere.io", with: "added.example.com")
            .replacingOccurrences(of: "name: demo\n", with: "name: handmade\n")
        #expect(added.contains("name: handmade"), "\(original)")
        try write(added, to: "demo/ingress-handmade.yaml")
        try session.waitFor("added.example.com", timeout: 5)

        #expect(unlink("\(workspace)/demo/ingress-handmade.yaml") == 0)
        try session.waitFor(timeout: 5, "the removed route to go") { !$0.contains("added.example.com") && $0.contains("edited.example.com") }

        try session.send("C-c")
        try session.waitFor("kgate exited 0")
    }
}

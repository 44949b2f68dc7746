import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The command line on workspaces it must not write or cannot read (issue 7 items 6, 9, 11).
@Suite("kgate on workspaces it must not write or cannot read")
struct WorkspaceSafetyTests {
    @Test("--read-only with no workspace creates none, says how to make one, and exits 1")
    func readOnlyCreatesNothing() throws {
        let folder = try TemporaryFolder("readonly")
        let workspace = folder.file("ws")
        let result = try KGateProcess.run(["projects", "--read-only", "--workspace", workspace])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("kgate init --demo"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: workspace))
    }

    @Test("--workspace '' is a usage error: exit 2, and the reason names the option")
    func emptyWorkspace() throws {
        let result = try KGateProcess.run(["projects", "--workspace", ""])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("--workspace"), "\(result)")
    }

    @Test("--http-node-port -1 is refused with the same field error as --http-node-port=-1")
    func negativeNodePort() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("negative")
        let spaced = try KGateProcess.run(["gateway", "set", "demo", "--type", "NodePort", "--http-node-port", "-1", "--workspace", folder.workspace])
        let joined = try KGateProcess.run(["gateway", "set", "demo", "--type", "NodePort", "--http-node-port=-1", "--workspace", folder.workspace])
        #expect(spaced.status == 1, "\(spaced)")
        #expect(spaced.stderr == joined.stderr)
        #expect(spaced.stderr.contains("spec.ports[0].nodePort"), "\(spaced)")
    }

    /// Runs kgate as `nobody`: root reads every file whatever its mode, so an unreadable
    /// folder is only unreadable to another user.
    func kgateAsNobody(_ arguments: [String]) throws -> KGateProcess.Result {
        try KGateProcess.run(
            ["--reuid=65534", "--regid=65534", "--clear-groups", KGateProcess.binary] + arguments,
            executable: "/usr/bin/setpriv")
    }

    /// A demo workspace that `nobody` may walk into, with `unreadable` (relative to the
    /// workspace) made unreadable to everyone but root.
    func demoWorkspace(_ name: String, unreadable: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder.withDemoWorkspace(name)
        #expect(chmod(folder.path, 0o755) == 0)
        #expect(chmod("\(folder.workspace)/\(unreadable)", 0o000) == 0)
        return folder
    }

    @Test("an unreadable project folder is a warning with the OS error, and commands on it refuse (run as nobody)")
    func unreadableFolder() throws {
        let folder = try demoWorkspace("unreadable", unreadable: "demo")
        let workspace = folder.workspace
        defer { chmod("\(workspace)/demo", 0o755) }
        let projects = try kgateAsNobody(["projects", "--workspace", workspace])
        #expect(projects.stderr.contains("cannot read demo/: Permission denied"), "\(projects)")
        let routes = try kgateAsNobody(["routes", "demo", "--workspace", workspace])
        #expect(routes.status == 1, "\(routes)")
        #expect(routes.stderr.contains("Permission denied"), "\(routes)")
        #expect(!routes.stderr.contains("not found"), "\(routes)")
        let show = try kgateAsNobody(["route", "show", "demo", "demo", "--workspace", workspace])
        #expect(show.status == 1, "\(show)")
        #expect(!show.stderr.contains("not found"), "\(show)")
    }

    @Test("an unreadable manifest is reported with the OS error, and commands on its project refuse (run as nobody)")
    func unreadableFile() throws {
        let folder = try demoWorkspace("unreadable-file", unreadable: "edge/ingress-edge-api.yaml")
        let workspace = folder.workspace
        let routes = try kgateAsNobody(["routes", "edge", "--workspace", workspace])
        #expect(routes.status == 1, "\(routes)")
        let warning = routes.stderr.split(separator: "\n").first { $0.contains("edge/ingress-edge-api.yaml") } ?? ""
        #expect(warning.contains("cannot read the file: Permission denied"), "\(routes)")
        #expect(!routes.stdout.contains("NAME"), "\(routes)")
    }

    @Test("a file name with control characters is printed escaped, never as raw escape sequences")
    func controlCharactersEscaped() throws {
        let folder = try TemporaryFolder.withDemoWorkspace("escapes")
        try folder.write("ws/demo/bad\u{1B}[2J.yaml", "kind: [\n")
        let result = try KGateProcess.run(["projects", "--workspace", folder.workspace])
        #expect(result.stderr.contains("bad\\u{1B}[2J.yaml"), "\(result)")
        #expect(!result.stderr.contains("\u{1B}"), "\(result)")
    }
}

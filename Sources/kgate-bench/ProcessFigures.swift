import Foundation
import GatewayKit
import GatewayStore

/// Figures of the `kgate` CLI as whole processes (start, read, work, write, exit), and the
/// same work done by Python with PyYAML's C loader and dumper in the same run, so that the
/// ratio is measured here, not quoted.
struct ProcessFigures {
    let folder: String

    /// The release `kgate` beside this bench (`swift build -c release` builds both).
    static func kgateBinary() throws -> String {
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binary = bench.deletingLastPathComponent().appendingPathComponent("kgate").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no kgate binary at \(binary): run `swift build -c release` first")
        }
        return binary
    }

    /// `kgate apply -f` of one file of `routes` Ingresses into a workspace that has none,
    /// made in `parent` (the bench's folder unless given: see `ScratchFileSystem`).
    func apply(routes count: Int, in parent: String? = nil) throws -> Double {
        let root = try BenchWorkspace.make(routes: 0, in: "\(parent ?? folder)/apply")
        let file = "\(folder)/apply-\(count).yaml"
        if !FileManager.default.fileExists(atPath: file) {
            let text = ManifestRenderer.yaml(BenchWorkspace.routes(count).map { route in
                var route = route
                route.metadata.resourceVersion = nil
                return KubeObject.route(route)
            })
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        }
        // apply makes its batch durable with one `syncfs`, which also writes back whatever
        // else is dirty on the file system: here the bench's own workspaces, just written
        // (11,000 files). They are flushed first, so that the figure is apply's own cost.
        sync()
        return try ProcessFigures.time(try ProcessFigures.kgateBinary(), ["apply", "-f", file, "--workspace", root])
    }

    /// `kgate render bench -o yaml` over the workspace at `root`, and PyYAML reading every
    /// manifest of the project with the C loader and writing them with the C dumper.
    ///
    /// - `cold`: no workspace index (`.kgate-index`), as on a fresh clone: every file read,
    ///   parsed and validated, and the index written.
    /// - `kgate`: on the workspace unchanged since `kgate` last read it, as an operator runs
    ///   it. The bench's own index does not serve: it is another build's (`kgate-bench`), so
    ///   `kgate` would parse every file again, as after an upgrade.
    func renderAgainstPyYAML(root: String) throws -> (kgate: Double, cold: Double, pyyaml: Double) {
        let render = ["render", BenchWorkspace.project, "-o", "yaml", "--workspace", root]
        try? FileManager.default.removeItem(atPath: "\(root)/\(WorkspaceStore.indexFileName)")
        let cold = try ProcessFigures.time(try ProcessFigures.kgateBinary(), render)
        let kgate = try ProcessFigures.time(try ProcessFigures.kgateBinary(), render)
        let script = """
            import glob, sys, yaml
            docs = []
            for path in sorted(glob.glob(sys.argv[1] + "/**/*.yaml", recursive=True)):
                with open(path) as f:
                    docs.extend(d for d in yaml.load_all(f, Loader=yaml.CLoader) if d)
            sys.stdout.write(yaml.dump_all(docs, Dumper=yaml.CDumper, sort_keys=False))
            """
        let pyyaml = try ProcessFigures.time("/usr/bin/env", ["python3", "-c", script, "\(root)/\(BenchWorkspace.project)"])
        return (kgate, cold, pyyaml)
    }

    /// A process's wall time from start to exit, in ms, its output discarded; a failure is
    /// an error, so that a broken run never passes for a fast one.
    static func time(_ executable: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = (ContinuousClock.now - start).milliseconds
        guard process.terminationStatus == 0 else {
            throw BenchError("\(executable) \(arguments.prefix(3).joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return elapsed
    }
}

import ChildProcess
import Foundation
import GatewayStore
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Every file and folder below a workspace with its mode and bytes, hidden ones included:
/// equal before and after a refused write when the refusal wrote nothing.
struct WorkspaceImage: Equatable, CustomStringConvertible {
    var entries: [String: String]

    init(of root: String) {
        entries = [:]
        var folders = [""]
        while let folder = folders.popLast() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root + folder)) ?? []
            // The lock and the index (derived, rewritten by any read) are not the workspace.
            for name in names where name != ".kgate.lock" && name != ".kgate-index" {
                let relative = "\(folder)/\(name)"
                var info = stat()
                guard lstat(root + relative, &info) == 0 else { continue }
                let mode = String(info.st_mode & 0o7777, radix: 8)
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    entries[relative + "/"] = mode
                    folders.append(relative)
                } else {
                    let bytes = FileManager.default.contents(atPath: root + relative) ?? Data()
                    entries[relative] = "\(mode) \(String(decoding: bytes, as: UTF8.self))"
                }
            }
        }
    }

    var description: String { entries.keys.sorted().joined(separator: "\n") }

    /// What differs, for a readable failure.
    func difference(from other: WorkspaceImage) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().filter { entries[$0] != other.entries[$0] }
    }
}

/// Runs a command, for the few tests that need mount or chattr; its exit status.
@discardableResult
func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
    var command = ChildCommand(path, arguments)
    command.standardError = .null
    switch try ChildProcess.run(command, timeout: 60).termination {
    case .exited(let status)?: return status
    case .signalled(let signal)?: return 128 + signal
    case nil: return -1
    }
}

/// The demo workspace in `ws/` of a temporary folder, made through the store.
struct DemoWorkspaceFixture {
    let folder: TemporaryFolder
    let store: WorkspaceStore
    var root: String { folder.file("ws") }

    init(_ name: String) throws {
        folder = try TemporaryFolder(name)
        store = WorkspaceStore(root: folder.file("ws"))
        try store.initialize(demo: true)
    }
}

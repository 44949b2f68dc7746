import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a local gateway's runtime files go by default: outside the workspace (a GitOps
/// folder, where a `git pull` could plant a symlink), in a folder per workspace and
/// project that kgate makes itself:
///
///     $XDG_RUNTIME_DIR/kgate/<workspace name>-<hash of its real path>/<project or "all">
///
/// else under `$XDG_STATE_HOME/kgate/`, else `~/.local/state/kgate/`.
public enum RuntimeLocation {
    /// The `kgate` folder's parent; nil when neither XDG variable nor HOME gives one.
    /// Relative values are ignored, as the XDG specification says.
    public static func parent(environment: [String: String]) -> String? {
        for key in ["XDG_RUNTIME_DIR", "XDG_STATE_HOME"] {
            if let value = environment[key], value.hasPrefix("/") { return value }
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state"
    }

    /// `<workspace name>-<12 hex digits>`: readable, and apart for two workspaces of one name.
    public static func workspaceFolderName(realPath: String) -> String {
        let base = realPath.split(separator: "/").last.map(String.init) ?? "root"
        let name = String(base.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }.prefix(32))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in realPath.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        let hex = String(repeating: "0", count: 16 - digits.count) + digits
        return "\(name.isEmpty || name.hasPrefix(".") ? "workspace" : name)-\(hex.prefix(12))"
    }

    /// The default runtime folder of `project` (nil: every project) of `workspace`.
    public static func folder(workspace: String, project: String?, environment: [String: String]) throws(NginxRefusal) -> String {
        guard let parent = parent(environment: environment) else {
            throw NginxRefusal("no place for runtime files: set XDG_RUNTIME_DIR or HOME, or give --runtime-dir")
        }
        return "\(parent)/kgate/\(workspaceFolderName(realPath: realPath(workspace)))/\(project ?? "all")"
    }

    /// Makes the folders above the runtime folder: the XDG parent when missing (0700),
    /// and `kgate/` and the workspace's folder, both 0700 and checked as kgate's.
    public static func prepare(folder: String) throws(NginxRefusal) {
        let workspaceFolder = (folder as NSString).deletingLastPathComponent
        let kgateFolder = (workspaceFolder as NSString).deletingLastPathComponent
        let parent = (kgateFolder as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw NginxRefusal("cannot make \(parent): \(error.localizedDescription)")
        }
        let top = try CheckedFolder.open(parent, isPrivate: false)
        let kgate = try top.subfolder((kgateFolder as NSString).lastPathComponent).folder
        _ = try kgate.subfolder((workspaceFolder as NSString).lastPathComponent)
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

import Foundation
import GatewayKit
import Glibc
import Yams

/// Writes refreshed oidc tokens back into the kubeconfig that holds the user, as
/// client-go's persister does, so that the next kgate or kubectl starts with them.
///
/// Unlike client-go, which writes the whole file anew (losing comments and order), only
/// the two values change when they are already there: the file is read again, the
/// user's `auth-provider.config.id-token` and `refresh-token` scalars are found by their
/// position, and their text alone is replaced; every other byte stays. When a key is
/// missing, or a value is not a one-line scalar, the file is written anew from its parsed
/// YAML instead (as client-go does). Either way the file is replaced atomically (a
/// temporary file beside it, fsynced, renamed over it) and keeps its mode; a symlink is
/// followed to the file it names.
enum KubeconfigTokenWriter {
    static func write(idToken: String, refreshToken: String?, to target: OIDCConfig.Persistence) throws(StoreError) {
        let path = realPath(target.file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unavailable(reason: "cannot read the kubeconfig \(path) to store the refreshed oidc tokens")
        }
        let text = String(decoding: data, as: UTF8.self)
        var values = ["id-token": idToken]
        if let refreshToken { values["refresh-token"] = refreshToken }
        let updated = try updatedText(text, user: target.user, values: values, file: path)
        var status = stat()
        let mode = stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0o600
        let temporary = "\(Path.folder(of: path))/.\(Path.base(of: path)).kgate-\(getpid())"
        try AtomicFile.writeNew(updated, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let reason = Errno.text()
            unlink(temporary)
            throw .unavailable(reason: "cannot replace the kubeconfig \(path) with the refreshed oidc tokens: \(reason)")
        }
        AtomicFile.syncFolder(Path.folder(of: path))
    }

    /// `text` with the user's config values set: in place when each is a one-line scalar
    /// already there, else the whole document serialized again.
    static func updatedText(_ text: String, user: String, values: [String: String], file: String) throws(StoreError) -> String {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .invalid(object: "kubeconfig \(file)", errors: [KubeconfigSyntax.error(error, text: text)])
        }
        guard var root, let config = configNode(root, user: user) else {
            throw .unavailable(reason: "the kubeconfig \(file) no longer holds the oidc auth-provider of user \(jsonQuotedText(user)); the refreshed tokens are not stored")
        }
        if let inPlace = replacedInPlace(text, config: config, values: values) { return inPlace }
        // A missing key or an unusual scalar: the document anew, as client-go writes it.
        guard let userIndex = userIndex(root, user: user) else { return text }
        var newConfig = config.mapping != nil ? config : Yams.Node([(Yams.Node, Yams.Node)]())
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { newConfig[key] = Yams.Node(value) }
        root["users"]?[userIndex]?["user"]?["auth-provider"]?["config"] = newConfig
        do {
            return try Yams.serialize(node: root)
        } catch {
            throw .unavailable(reason: "cannot write the kubeconfig \(file) anew with the refreshed oidc tokens")
        }
    }

    private static func userIndex(_ root: Yams.Node, user: String) -> Int? {
        root["users"]?.sequence?.firstIndex { $0["name"]?.string == user }
    }

    private static func configNode(_ root: Yams.Node, user: String) -> Yams.Node? {
        guard let index = userIndex(root, user: user), let provider = root["users"]?.sequence?[index]["user"]?["auth-provider"],
            provider["name"]?.string == "oidc"
        else { return nil }
        return provider["config"] ?? .mapping([:])
    }

    /// Each value replaced where its old scalar stands; nil when one cannot be (missing
    /// key, a block or multi-line scalar, text that does not match the parsed value).
    private static func replacedInPlace(_ text: String, config: Yams.Node, values: [String: String]) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        // Later positions first, so that earlier replacements do not move them.
        var edits: [(line: Int, column: Int, length: Int, replacement: String)] = []
        for (key, value) in values {
            guard let node = config[key], let scalar = node.scalar, let mark = node.mark, mark.line >= 1, mark.line <= lines.count
            else { return nil }
            let line = lines[mark.line - 1]
            let start = mark.column - 1
            guard start >= 0, start <= line.count else { return nil }
            let rest = String(String.UnicodeScalarView(line[start...]))
            let old = scalar.string
            let length: Int
            // The value keeps the quoting it had.
            let replacement: String?
            switch scalar.style {
            case .plain where rest.hasPrefix(old) && !old.isEmpty:
                length = old.unicodeScalars.count
                replacement = quoted(value)
            case .doubleQuoted where rest.hasPrefix("\"" + old + "\"") && !old.contains("\\") && !old.contains("\""):
                length = old.unicodeScalars.count + 2
                replacement = quoted(value).map { _ in jsonQuotedText(value) }
            case .singleQuoted where rest.hasPrefix("'" + old + "'") && !old.contains("'"):
                length = old.unicodeScalars.count + 2
                replacement = quoted(value).map { _ in "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }
            default: return nil
            }
            guard let replacement else { return nil }
            edits.append((mark.line - 1, start, length, replacement))
        }
        for edit in edits.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            lines[edit.line].replaceSubrange(edit.column..<(edit.column + edit.length), with: Array(edit.replacement.unicodeScalars))
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    /// A token as a YAML scalar: plain when it is made of the characters JWTs and OAuth
    /// tokens use, else double-quoted; nil for one with control characters (left to Yams).
    static func quoted(_ value: String) -> String? {
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-~+/=".unicodeScalars.contains(scalar))
        } && !value.hasPrefix("-") && !value.hasPrefix("~")
        return plain ? value : jsonQuotedText(value)
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

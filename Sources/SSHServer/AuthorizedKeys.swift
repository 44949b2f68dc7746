import Foundation
import NIOSSH

/// What a key may do: a viewer's console refuses every write; `projects` nil means all.
public struct KeyAccess: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable { case viewer, `operator` }
    public var role: Role
    public var projects: [String]?
    public var fingerprint: String
    public var comment: String

    public init(role: Role, projects: [String]?, fingerprint: String, comment: String) {
        self.role = role
        self.projects = projects
        self.fingerprint = fingerprint
        self.comment = comment
    }
}

/// An `authorized_keys` file in OpenSSH's format, with kgate's options `role="viewer"` or
/// `role="operator"` (default viewer) and `projects="demo,shop"` (default all). Other
/// OpenSSH options are accepted and ignored: kgate gives no shell, forwarding or agent.
public struct AuthorizedKeys: Sendable {
    public private(set) var keys: [NIOSSHPublicKey: KeyAccess] = [:]

    public init() {}

    /// Parses the whole file; the first bad line refuses it all (with its number and why),
    /// so a typo never silently drops or widens a key.
    public init(parsing text: String, file: String) throws(SSHServerError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            do {
                let (key, access) = try Self.parse(line)
                keys[key] = access
            } catch {
                throw SSHServerError("\(file):\(index + 1): \(error.description)")
            }
        }
    }

    public func access(for key: NIOSSHPublicKey) -> KeyAccess? { keys[key] }

    static let keyTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]

    private static func parse(_ line: String) throws(SSHServerError) -> (NIOSSHPublicKey, KeyAccess) {
        let fields = splitFields(line)
        // Options come first when the first field is not a key type.
        let hasOptions = fields.first.map { !keyTypes.contains($0) } ?? false
        let options = hasOptions ? try parseOptions(fields[0]) : [:]
        let keyFields = Array(fields.dropFirst(hasOptions ? 1 : 0))
        guard keyFields.count >= 2 else { throw SSHServerError("expected [options] key-type base64-key [comment]") }
        if keyFields[0] == "ssh-rsa" {
            throw SSHServerError("ssh-rsa keys are not supported by swift-nio-ssh; use an ed25519 or ecdsa key")
        }
        guard keyTypes.contains(keyFields[0]) else {
            throw SSHServerError("key type: \(keyFields[0]) is not one of ssh-ed25519, ecdsa-sha2-nistp256/384/521")
        }
        let key: NIOSSHPublicKey
        do {
            key = try NIOSSHPublicKey(openSSHPublicKey: "\(keyFields[0]) \(keyFields[1])")
        } catch {
            throw SSHServerError("key: not a valid \(keyFields[0]) public key")
        }
        var role = KeyAccess.Role.viewer
        if let value = options["role"] {
            guard let parsed = KeyAccess.Role(rawValue: value) else {
                throw SSHServerError("role: must be \"viewer\" or \"operator\", not \"\(value)\"")
            }
            role = parsed
        }
        var projects: [String]?
        if let value = options["projects"] {
            let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
                throw SSHServerError("projects: must be project names separated by commas, not \"\(value)\"")
            }
            projects = names
        }
        let comment = keyFields.dropFirst(2).joined(separator: " ")
        return (key, KeyAccess(role: role, projects: projects, fingerprint: SSHFingerprint.of(key), comment: comment))
    }

    /// Splits on blanks outside double quotes (an option value may hold spaces).
    private static func splitFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == " " || character == "\t" {
                if !current.isEmpty { fields.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { fields.append(current) }
        return fields
    }

    /// `name="value",flag,...` into a dictionary; flags map to "".
    private static func parseOptions(_ field: String) throws(SSHServerError) -> [String: String] {
        var options: [String: String] = [:]
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in field {
            if character == "\"" { quoted.toggle() }
            if !quoted, character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw SSHServerError("options: a double quote is not closed") }
        parts.append(current)
        for part in parts {
            guard let equals = part.firstIndex(of: "=") else {
                options[part.lowercased()] = ""
                continue
            }
            let name = part[..<equals].lowercased()
            var value = String(part[part.index(after: equals)...])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            options[name] = value
        }
        return options
    }
}

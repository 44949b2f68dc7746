/// The list a runtime folder keeps of what kgate made in it, so that kgate removes only
/// its own files and refuses a folder that holds anyone else's (`--runtime-dir` may name
/// any folder; a mistaken one must not lose a file).
///
///     # kgate runtime folder: kgate made the entries below and removes only these.
///     folder made by kgate
///     nginx.conf
///     tls/shop.shop-tls.key
struct RuntimeManifest: Hashable, Sendable {
    static let fileName = "kgate-runtime.manifest"
    static let header = "# kgate runtime folder: kgate made the entries below and removes only these."
    static let madeLine = "folder made by kgate"

    /// Whether kgate made the folder itself (else the operator gave an empty one).
    var folderMadeByKgate: Bool
    /// Paths relative to the folder, files and folders.
    var entries: Set<String>

    init(folderMadeByKgate: Bool, entries: Set<String> = []) {
        self.folderMadeByKgate = folderMadeByKgate
        self.entries = entries
    }

    /// Nil when the text is not a manifest (its first line is not the header).
    init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard lines.first == Self.header else { return nil }
        folderMadeByKgate = lines.contains(Self.madeLine)
        entries = Set(lines.dropFirst().filter { $0 != Self.madeLine && !$0.isEmpty })
    }

    var text: String {
        ([Self.header] + (folderMadeByKgate ? [Self.madeLine] : []) + entries.sorted()).joined(separator: "\n") + "\n"
    }

    /// The names in `names` (the entries of the folder `prefix`, "" for the top) that
    /// kgate did not make: the manifest itself and kgate's own temporary files aside.
    func foreign(_ names: [String], in prefix: String = "") -> [String] {
        names.filter { name in
            let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
            return path != Self.fileName && !entries.contains(path) && !isTemporary(name, in: prefix)
        }
    }

    /// `.<entry>.new-<pid>`: a write that a killed kgate left behind.
    func isTemporary(_ name: String, in prefix: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".new-", options: .backwards) else { return false }
        let entry = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
        let path = prefix.isEmpty ? entry : "\(prefix)/\(entry)"
        return (entry == Self.fileName || entries.contains(path)) && name[marker.upperBound...].allSatisfy(\.isNumber)
    }
}

import Foundation

/// Paths under the operator's home folder written as `~/…`, as shells do: shorter in the
/// header, and screenshots do not show where a test's home happened to be.
enum HomeFolder {
    static func abbreviated(_ text: String, home: String?) -> String {
        guard let home, home.count > 1 else { return text }
        let folder = home.hasSuffix("/") ? String(home.dropLast()) : home
        var result = text.replacingOccurrences(of: folder + "/", with: "~/")
        if result.hasSuffix(" " + folder) || result == folder { result = String(result.dropLast(folder.count)) + "~" }
        return result
    }
}

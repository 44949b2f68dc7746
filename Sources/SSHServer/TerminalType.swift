import Foundation

/// The TERM a session's console gets: the client's when this machine has its terminfo
/// entry, else `xterm-256color` (what nearly every client emulates). A local console
/// refuses an unknown TERM, but over SSH the client's terminal is often one this server
/// has never heard of (xterm-kitty, alacritty).
enum TerminalType {
    static let fallback = "xterm-256color"
    static let folders = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"]

    static func resolve(_ requested: String, environment: [String: String]) -> String {
        guard let first = requested.first, !requested.contains("/"), !requested.hasPrefix(".") else { return fallback }
        let extra = [environment["TERMINFO"], environment["HOME"].map { "\($0)/.terminfo" }].compactMap { $0 }
        let known = (extra + folders).contains { folder in
            FileManager.default.fileExists(atPath: "\(folder)/\(first)/\(requested)")
                || FileManager.default.fileExists(atPath: "\(folder)/\(String(format: "%02x", first.asciiValue ?? 0))/\(requested)")
        }
        return known ? requested : fallback
    }
}

import GatewayKit

/// A server URL as it may be shown: `https://user:pass@host:6443` has a password in it, so
/// the userinfo is replaced (`https://REDACTED@host:6443`), and the rest is escaped for
/// the terminal. Every message and location that names a server goes through this.
enum ServerAddress {
    static func shown(_ server: String) -> String {
        TerminalText.escaped(redacted(server))
    }

    static func redacted(_ server: String) -> String {
        guard let scheme = server.range(of: "://") else { return server }
        let rest = server[scheme.upperBound...]
        // The authority ends at the first `/`, `?` or `#`; userinfo is what precedes its last `@`.
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return server }
        return String(server[..<scheme.upperBound]) + "REDACTED" + String(rest[at...])
    }
}

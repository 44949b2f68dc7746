import Foundation
import GatewayKit

/// The two texts of the exec protocol kgate writes or reads besides the token: the
/// `KUBERNETES_EXEC_INFO` a plugin gets, and the `expirationTimestamp` it answers.
enum ExecInfo {
    /// `{"apiVersion":…,"kind":"ExecCredential","spec":{"interactive":…,"cluster":{…}}}`:
    /// interactive when the plugin is given the terminal; the cluster only when the
    /// kubeconfig says `provideClusterInfo: true`.
    static func json(_ exec: Kubeconfig.ExecConfig, interactive: Bool = false) -> String {
        var spec = [ManifestField("interactive", .bool(interactive))]
        if let cluster = exec.cluster {
            var fields = [ManifestField("server", .string(cluster.server))]
            if let name = cluster.tlsServerName { fields.append(ManifestField("tls-server-name", .string(name))) }
            if cluster.insecureSkipTLSVerify { fields.append(ManifestField("insecure-skip-tls-verify", .bool(true))) }
            if let authority = cluster.certificateAuthorityData {
                fields.append(ManifestField("certificate-authority-data", .string(Data(authority).base64EncodedString())))
            }
            if let proxy = cluster.proxyURL { fields.append(ManifestField("proxy-url", .string(proxy))) }
            spec.append(ManifestField("cluster", .map(fields)))
        }
        let info = ManifestValue.map([
            ManifestField("apiVersion", .string(exec.apiVersion)), ManifestField("kind", .string("ExecCredential")),
            ManifestField("spec", .map(spec)),
        ])
        return JSONEmitter.document(info).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    /// RFC 3339, with or without fractional seconds (Go's time.Time writes either).
    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

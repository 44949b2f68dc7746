import Foundation
import GatewayKit

/// The connection of a pod's own service account, as client-go's `rest.InClusterConfig`
/// builds it: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the projected
/// token file (read anew for each request, since the kubelet rotates it), the cluster's CA,
/// and the pod's namespace (`POD_NAMESPACE`, else the `namespace` file, as kubectl).
public enum InClusterConfig {
    public static let serviceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// nil when kgate does not run in a pod: either variable unset, or no token file.
    public static func connection(environment: [String: String], folder: String) throws(StoreError) -> ClusterConnection? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let tokenFile = folder + "/token"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: tokenFile, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        // An IPv6 service address needs brackets in a URL, as Go's net.JoinHostPort writes it.
        let server = "https://" + (host.contains(":") ? "[\(host)]" : host) + ":" + port
        var namespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
        if namespace == nil, let data = FileManager.default.contents(atPath: folder + "/namespace") {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            namespace = text.isEmpty ? nil : text
        }
        var connection = ClusterConnection(
            contextName: "in-cluster", server: server, namespace: namespace ?? "default", credential: .tokenFile(tokenFile))
        guard let authority = FileManager.default.contents(atPath: folder + "/ca.crt") else {
            throw .unavailable(reason: "running in a pod, but the service account's CA \(folder)/ca.crt cannot be read")
        }
        connection.certificateAuthorityPEM = Array(authority)
        return connection
    }
}

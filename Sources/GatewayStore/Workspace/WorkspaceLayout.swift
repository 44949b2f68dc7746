import GatewayKit

#if canImport(Glibc)
    import Glibc
#endif

/// Where each object of a workspace lives: one object a file,
/// `<namespace>/<kind>-<name>.yaml`, cluster-scoped objects under `_cluster/` (which sorts
/// first, so that `kubectl apply -R -f` creates namespaces before what they hold), and
/// the settings in `kgate-settings.yaml` at the top.
///
///     workspace/
///       _cluster/namespace-demo.yaml  _cluster/node-node1.yaml  _cluster/eip-eip-pool.yaml
///       demo/service-web.yaml  demo/ingress-demo.yaml  demo/secret-demo-tls.yaml
///       kubesphere-controls-system/gateway-kubesphere-router-demo.yaml
///       kubesphere-controls-system/service-kubesphere-router-demo.yaml
///       kgate-settings.yaml
struct WorkspaceLayout: Sendable {
    let root: String

    static let clusterFolder = "_cluster"
    static let settingsFile = "kgate-settings.yaml"

    func path(for object: KubeObject) -> String {
        if case .settings = object { return "\(root)/\(WorkspaceLayout.settingsFile)" }
        return path(for: ObjectKey(object))
    }

    /// Where an object of `key` lives (the settings aside).
    func path(for key: ObjectKey) -> String {
        let folder = key.namespace.isEmpty ? WorkspaceLayout.clusterFolder : key.namespace
        return "\(root)/\(folder)/\(key.kind.lowercased())-\(key.name).yaml"
    }

    /// The path relative to the root, as messages show it.
    /// Compared and cut as bytes, as file names are: a load asks this several times a
    /// file, and by characters it was a tenth of a first frame at 100,000 routes.
    func relative(_ path: String) -> String {
        var path = path
        return path.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[relativeStart(of: $0)...]), as: UTF8.self) }
    }

    /// Where `relative(path)` starts in `path`'s bytes, given as `bytes`: compared with
    /// `memcmp`, not through the generic collection views (a first read asks for each file).
    func relativeStart(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var root = root
        return root.withUTF8 { root in
            guard bytes.count > root.count, bytes[root.count] == UInt8(ascii: "/"),
                root.isEmpty || memcmp(bytes.baseAddress!, root.baseAddress!, root.count) == 0
            else { return 0 }
            return root.count + 1
        }
    }
}

/// What identifies a stored object: its kind, namespace and name.
struct ObjectKey: Hashable, Sendable {
    var kind: String
    var namespace: String
    var name: String

    init(_ object: KubeObject) {
        kind = object.storageKind
        namespace = object.namespace
        name = object.name
    }

    init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }
}

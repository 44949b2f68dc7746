/// A `kubernetes.io/tls` Secret that a route's https hosts are served with.
///
/// The key material is kept only to be written back; `description` and every view
/// leave it out, so that it is never printed, logged or shown.
public struct TLSSecret: Hashable, Sendable, CustomStringConvertible {
    public var metadata: ObjectMeta
    /// Base64 `tls.crt` and `tls.key`, as stored.
    public var certificate: String
    public var key: String

    public init(metadata: ObjectMeta, certificate: String, key: String) {
        self.metadata = metadata
        self.certificate = certificate
        self.key = key
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var description: String { "TLSSecret(\(metadata.namespace)/\(metadata.name), data redacted)" }
}

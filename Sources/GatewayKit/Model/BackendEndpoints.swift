/// An EndpointSlice: where a backend Service really listens. The local gateway proxies
/// to these addresses.
public struct BackendEndpoints: Hashable, Sendable {
    public var metadata: ObjectMeta
    /// The Service this slice belongs to (label `kubernetes.io/service-name`).
    public var serviceName: String
    public var addressType: String
    public var addresses: [String]
    public var ports: [EndpointPort]
    /// The addresses (of `addresses`) whose endpoint has `conditions.ready: false`: they
    /// get no traffic. An endpoint without the condition is ready, as Kubernetes reads it.
    public var notReadyAddresses: [String]

    public init(
        metadata: ObjectMeta, serviceName: String, addressType: String = "IPv4", addresses: [String],
        ports: [EndpointPort], notReadyAddresses: [String] = []
    ) {
        self.metadata = metadata
        self.serviceName = serviceName
        self.addressType = addressType
        self.addresses = addresses
        self.ports = ports
        self.notReadyAddresses = notReadyAddresses
    }

    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
}

public struct EndpointPort: Hashable, Sendable {
    public var name: String?
    public var port: Int
    public var `protocol`: String

    public init(name: String? = nil, port: Int, protocol: String = "TCP") {
        self.name = name
        self.port = port
        self.protocol = `protocol`
    }
}

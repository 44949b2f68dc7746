/// The kinds the test API server serves, with their discovery facts. Kept apart from the
/// client's own table on purpose: a typo in one would otherwise be "confirmed" by the other.
struct TestResource: Hashable, Sendable {
    var group: String
    var version: String
    var plural: String
    var kind: String
    var namespaced: Bool

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// The CRD declares `subresources: {status: {}}`: status is written only through `/status`.
    var hasStatusSubresource: Bool { plural == "gateways" }

    static let all: [TestResource] = [
        TestResource(group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false),
        TestResource(group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false),
        TestResource(group: "", version: "v1", plural: "services", kind: "Service", namespaced: true),
        TestResource(group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true),
        TestResource(group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true),
        TestResource(group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true),
        TestResource(group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true),
        TestResource(group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true),
        TestResource(group: "gateway.kubesphere.io", version: "v1alpha1", plural: "gateways", kind: "Gateway", namespaced: true),
        TestResource(group: "network.kubesphere.io", version: "v1alpha2", plural: "eips", kind: "Eip", namespaced: false),
    ]

    static func of(kind: String) -> TestResource? { all.first { $0.kind == kind } }

    static let namespaces = all[0]
    static let services = all[2]
    static let configMaps = all[4]
    static let deployments = all[7]
    static let gateways = all[8]
}

/// One request, as the server routes it.
struct TestRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var authorization: String?
    var body: [UInt8]
    /// Who a verified client certificate says sent it; it authenticates in place of a token.
    var user: String? = nil
    /// Every header as sent, names as written, in order: for the tests that compare them.
    var headers: [(String, String)] = []

    func header(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }
}

/// What the server answers: a whole JSON body, or a watch stream.
enum TestResponse: Sendable {
    case json(status: Int, body: String)
    case watch(TestWatch)
}

/// A watch request: which objects, from which version.
struct TestWatch: Sendable {
    var resource: TestResource
    var namespace: String
    var fieldSelector: [String: String]
    var fromRevision: Int?
    /// The client's `timeoutSeconds`: the server ends the watch after it.
    var timeoutSeconds: Int? = nil
}

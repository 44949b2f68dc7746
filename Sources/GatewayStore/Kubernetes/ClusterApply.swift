import GatewayKit

/// `kgate apply` against a cluster: create each object, or merge-patch what differs from
/// the stored one (no server-side apply), namespaces and settings first so that one file
/// can make a project and fill it. A
/// Gateway goes through Set Gateway (so KubeSphere's rules hold for it too). An object
/// with a resourceVersion is written at that version (a stale one is the server's 409);
/// one without is written over whatever is stored, as `kubectl apply` does.
///
/// Unlike a workspace write, a cluster has no transaction: objects before a refused one
/// stay applied, and the error says which one was refused.
struct ClusterApply: Sendable {
    let reader: ClusterReader
    let writer: ClusterWriter
    let gateways: ClusterGateways

    func apply(_ input: [KubeObject]) async throws(StoreError) -> [ApplyOutcome] {
        let ordered = KubeObject.inApplyOrder(input)
        let settings = try await reader.readSettings()
        var outcomes: [ApplyOutcome] = []
        for object in ordered {
            outcomes.append(try await apply(object, settings: settings))
        }
        return outcomes
    }

    private func apply(_ object: KubeObject, settings: WorkspaceSettings) async throws(StoreError) -> ApplyOutcome {
        let resource = APIResource.of(object)
        var namespace = object.namespace
        if case .gateway(let gateway) = object {
            let before = try await reader.load().gateway(project: gateway.project)
            var request = GatewayRequest(applying: gateway)
            request.expectedResourceVersion = gateway.resourceVersion
            let change = try await gateways.set(request)
            return ApplyOutcome(reference: object.reference, action: .of(before: before, after: change.gateway))
        }
        if case .settings = object { namespace = Gateway.defaultNamespace }
        var body = ObjectCodec.encode(object)
        if case .settings = object { body.set(path: ["metadata", "namespace"], .string(namespace)) }
        guard let stored = try await writer.get(resource, namespace: namespace, name: object.name) else {
            _ = try await writer.create(resource, body, namespace: namespace, name: object.name)
            return ApplyOutcome(reference: object.reference, action: .created)
        }
        var patch = body
        if case .success(let current) = ObjectCodec.decode(stored, as: resource) {
            var incoming = object
            if case .service(let service) = incoming, case .service(let held) = current {
                // A node port left open keeps the one the server assigned.
                incoming = .service(Self.keepingNodePorts(service, from: held))
            }
            if Self.content(current) == Self.content(incoming) {
                return ApplyOutcome(reference: object.reference, action: .unchanged)
            }
            patch = MergePatch.keepingUnmentioned(
                MergePatch.between(MergePatch.comparable(current), MergePatch.comparable(incoming)) ?? .map([]),
                under: [["metadata", "annotations"], ["metadata", "labels"]])
        }
        // A merge patch of what differs: what kgate does not model stays on the server.
        _ = try await writer.patch(
            resource, patch, resourceVersion: object.resourceVersion ?? ObjectCodec.resourceVersion(stored), namespace: namespace,
            name: object.name)
        return ApplyOutcome(reference: object.reference, action: .configured)
    }

    private static func keepingNodePorts(_ service: BackendService, from held: BackendService) -> BackendService {
        var service = service
        for index in service.ports.indices where service.ports[index].nodePort == nil {
            service.ports[index].nodePort = held.ports.first { $0.name == service.ports[index].name }?.nodePort
        }
        service.clusterIP = service.clusterIP ?? held.clusterIP
        service.loadBalancerIngress = held.loadBalancerIngress
        return service
    }

    /// An object's modelled manifest less what the server stamps (version, creation time).
    private static func content(_ object: KubeObject) -> ManifestValue {
        var value = ObjectCodec.encode(object.modeledOnly)
        value.remove(path: ["metadata", "resourceVersion"])
        value.remove(path: ["metadata", "creationTimestamp"])
        return value
    }

}

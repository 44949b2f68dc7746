import Foundation
import GatewayKit

/// One write to a workspace: made on a fresh read under the lock, staged in memory, and
/// written file by file on commit. Every check happens before anything is written.
struct WorkspaceTransaction {
    private let layout: WorkspaceLayout
    private let snapshot: WorkspaceReader.Snapshot
    private var objects: [ObjectKey: KubeObject]
    private var staged: [ObjectKey: KubeObject] = [:]
    private var deleted: Set<ObjectKey> = []
    private var revision: Int
    private var generator = SystemRandomNumberGenerator()
    /// The time of this write, RFC 3339 in UTC, made once for all it creates.
    private var now: String?

    init(snapshot: WorkspaceReader.Snapshot, layout: WorkspaceLayout) {
        self.layout = layout
        self.snapshot = snapshot
        self.objects = snapshot.objects
        let stored = (try? AtomicFile.read(layout.root + "/.kgate-revision").get()).flatMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let highest = snapshot.objects.values.compactMap { $0.resourceVersion.flatMap(Int.init) }.max() ?? 0
        self.revision = max(stored ?? 0, highest)
        self.settings = snapshot.inventory.settings
    }

    /// The workspace settings as staged so far (kept apart: reading them must not cost a
    /// pass over every object).
    private(set) var settings: WorkspaceSettings
    /// Everything as staged so far, gathered anew: O(objects), so used only where a
    /// request needs the whole picture (gateways, node ports, address pools).
    var inventory: Inventory { Inventory(objects: Array(objects.values)) }

    /// Only what holds node ports (Services, gateways) and the settings: enough for the
    /// allocator, without gathering every route once per Service of an apply.
    private var nodePortHolders: Inventory {
        Inventory(
            objects: objects.values.filter { object in
                switch object {
                case .service, .gateway, .routerDeployment, .settings: true
                default: false
                }
            })
    }

    // MARK: Requests

    mutating func apply(_ input: [KubeObject]) throws(StoreError) -> [ApplyOutcome] {
        // Namespaces and settings first, so that one file can create a project and fill it.
        let ordered = KubeObject.inApplyOrder(input)
        var outcomes: [ApplyOutcome] = []
        var poolsChanged = false
        for object in ordered {
            let errors = Validate.object(object, settings: settings)
            guard errors.isEmpty else { throw .invalid(object: object.reference, errors: errors) }
            try requireNamespace(of: object)
            let key = ObjectKey(object)
            let existing = objects[key]
            if let wanted = object.resourceVersion, let existing, existing.resourceVersion != wanted {
                throw .conflict(
                    object: object.reference,
                    reason: "the object has been modified (resourceVersion \(wanted), now \(existing.resourceVersion ?? "-")); read it again and apply your changes to the latest version")
            }
            if case .gateway(let gateway) = object {
                let before = inventory.gateway(project: gateway.project)
                let change = try setGateway(GatewayRequest(applying: gateway), manifest: gateway.stored)
                outcomes.append(ApplyOutcome(reference: object.reference, action: .of(before: before, after: change.gateway)))
                continue
            }
            var incoming = object
            if case .service(let service) = object {
                incoming = .service(try allocateNodePorts(service))
            }
            if let existing, WorkspaceTransaction.sameContent(existing, incoming) {
                outcomes.append(ApplyOutcome(reference: object.reference, action: .unchanged))
                continue
            }
            try put(incoming)
            if case .addressPool = object { poolsChanged = true }
            outcomes.append(ApplyOutcome(reference: object.reference, action: existing == nil ? .created : .configured))
        }
        if poolsChanged { try assignPendingLoadBalancers() }
        return outcomes
    }

    /// `manifest`: the Gateway manifest an `apply` brought, whose fields kgate does not
    /// model replace the stored ones.
    mutating func setGateway(_ request: GatewayRequest, manifest: StoredManifest = StoredManifest()) throws(StoreError)
        -> GatewayChange
    {
        var change = try GatewayPlanner.plan(request, in: inventory, using: &generator)
        if manifest.value != nil { change.gateway.stored = manifest }
        try putGateway(change.gateway)
        change.gateway = inventory.gateway(project: request.project) ?? change.gateway
        return change
    }

    mutating func deleteGateway(project: String) throws(StoreError) {
        let keys = gatewayKeys(project: project).filter { objects[$0] != nil }
        guard !keys.isEmpty else {
            for key in gatewayKeys(project: project) { try requireReadable(layout.path(for: key), reference: "Gateway of \(project)") }
            throw .notFound(object: "Gateway \(settings.gatewayNamespace)/\(Gateway.name(project: project))")
        }
        for key in keys { try delete(key) }
    }

    mutating func createRoute(_ route: Route) throws(StoreError) -> Route {
        let object = KubeObject.route(route)
        try requireNamespace(of: object)
        guard objects[ObjectKey(object)] == nil else { throw .alreadyExists(object: object.reference) }
        let errors = Validate.route(route)
        guard errors.isEmpty else { throw .invalid(object: object.reference, errors: errors) }
        var created = object
        created.resourceVersion = nil
        return try WorkspaceTransaction.route(try put(created))
    }

    mutating func updateRoute(_ route: Route) throws(StoreError) -> Route {
        let object = KubeObject.route(route)
        guard let existing = objects[ObjectKey(object)] else {
            try requireReadable(layout.path(for: object), reference: object.reference)
            throw .notFound(object: object.reference)
        }
        if let wanted = route.metadata.resourceVersion, wanted != existing.resourceVersion {
            throw .conflict(
                object: object.reference,
                reason: "the route was changed since it was read (resourceVersion \(wanted), now \(existing.resourceVersion ?? "-"))")
        }
        let errors = Validate.route(route)
        guard errors.isEmpty else { throw .invalid(object: object.reference, errors: errors) }
        // A route built afresh by a form carries no stored manifest: the stored object's
        // unmodelled fields stay, as a patch of the shown fields would keep them.
        var updated = route
        if updated.stored.value == nil, case .route(let stored) = existing { updated.stored = stored.stored }
        return try WorkspaceTransaction.route(try put(.route(updated)))
    }

    mutating func delete(_ key: ObjectKey) throws(StoreError) {
        let reference = key.namespace.isEmpty ? "\(key.kind) \(key.name)" : "\(key.kind) \(key.namespace)/\(key.name)"
        guard objects[key] != nil else {
            try requireReadable(snapshot.sources[key] ?? layout.path(for: key), reference: reference)
            throw .notFound(object: reference)
        }
        if let source = snapshot.sources[key] { try requireRewritable(source, reference: reference) }
        objects[key] = nil
        staged[key] = nil
        deleted.insert(key)
    }

    // MARK: Commit

    /// Writes what was staged, all or nothing (`FileCommit`); `failsStep` is the test seam
    /// that makes one step of the commit fail.
    func commit(failsStep: (@Sendable (String) -> Bool)? = nil) throws(StoreError) {
        guard !staged.isEmpty || !deleted.isEmpty else { return }
        var files = FileCommit(failsStep: failsStep)
        files.removals = deleted.sorted { $0.name < $1.name }.compactMap { snapshot.sources[$0] }
        var secretFolders: Set<String> = []
        for (key, object) in staged.sorted(by: { $0.key.name < $1.key.name }) {
            let path = snapshot.sources[key] ?? layout.path(for: object)
            let isSecret = object.kind == "Secret"
            if isSecret { secretFolders.insert(Path.folder(of: path)) }
            // Rendered by the thread that writes the file: a large apply renders in parallel.
            files.writes.append(
                FileCommit.Write(
                    path: path, mode: isSecret ? 0o600 : 0o644, folderMode: isSecret ? 0o700 : 0o755,
                    content: { ManifestRenderer.yaml([object]) }))
        }
        files.writes.append(
            FileCommit.Write(path: layout.root + "/.kgate-revision", text: "\(revision)\n", mode: 0o644, folderMode: 0o755))
        try files.commit()
        // Folders that hold Secrets are the owner's alone (after the commit: a refusal
        // changes nothing, modes included).
        for folder in secretFolders where folder != layout.root { FileModes.restrictToOwner(folder: folder) }
    }

    /// The manifest files a commit writes or removes: for the reader to look at again.
    var committedPaths: [String] {
        deleted.compactMap { snapshot.sources[$0] } + staged.map { snapshot.sources[$0.key] ?? layout.path(for: $0.value) }
    }

    // MARK: Helpers

    @discardableResult
    private mutating func put(_ object: KubeObject) throws(StoreError) -> KubeObject {
        let key = ObjectKey(object)
        if let source = snapshot.sources[key] {
            try requireRewritable(source, reference: object.reference)
            let losses = WorkspaceReader.rewriteLosses(ofFile: source, layout: layout)
            if !losses.isEmpty {
                throw .unavailable(
                    reason: "\(layout.relative(source)) was written by hand and kgate's rewrite would lose that (\(losses.joined(separator: ", "))); edit it by hand, or make it plain YAML first")
            }
        } else {
            let path = layout.path(for: object)
            if snapshot.objectCounts[path] != nil {
                throw .unavailable(
                    reason: "\(layout.relative(path)) exists but does not hold \(object.reference) (it does not parse or holds another object); kgate does not overwrite it")
            }
        }
        try requireReadable(snapshot.sources[key] ?? layout.path(for: object), reference: object.reference)
        var stored = object
        if case .settings = object {} else {
            revision += 1
            stored.resourceVersion = String(revision)
        }
        if case .route(var route) = stored {
            // As the API server does: a route's creationTimestamp is set when it is created
            // (kept when the manifest gives one, as an export from a cluster does) and kept
            // by every write after. The oldest route serves a path two claim
            // (`PathConflicts`), so a route created later never takes an older one's.
            if case .route(let existing)? = objects[key] {
                route.metadata.creationTimestamp = existing.metadata.creationTimestamp
            } else if route.metadata.creationTimestamp == nil {
                route.metadata.creationTimestamp = creationTime()
            }
            stored = .route(route)
        }
        objects[key] = stored
        staged[key] = stored
        if case .settings(let updated) = stored { settings = updated }
        deleted.remove(key)
        return stored
    }

    /// Refuses a write where the workspace could not be read: the object may be there
    /// already, and the write would hide or duplicate it.
    private func requireReadable(_ path: String, reference: String) throws(StoreError) {
        guard !snapshot.unreadable.isEmpty else { return }
        let folder = Path.folder(of: path)
        guard let failure = snapshot.unreadable.first(where: { $0.path == path || $0.path == folder || $0.path == layout.root })
        else { return }
        throw .unavailable(
            reason: "cannot read \(failure.path): \(failure.reason); kgate does not write \(reference) where it cannot read")
    }

    private func requireRewritable(_ source: String, reference: String) throws(StoreError) {
        let name = layout.relative(source)
        if snapshot.brokenFiles.contains(source) {
            throw .unavailable(reason: "\(name) has errors; kgate does not rewrite it (fix it by hand first)")
        }
        if (snapshot.objectCounts[source] ?? 0) > 1 {
            throw .unavailable(
                reason: "\(reference) is defined in \(name) together with other objects; kgate rewrites only one-object files (split it, or edit it by hand)")
        }
    }

    private func requireNamespace(of object: KubeObject) throws(StoreError) {
        let namespace = object.namespace
        guard !namespace.isEmpty, namespace != settings.gatewayNamespace else { return }
        if case .settings = object { return }
        guard objects[ObjectKey(kind: "Namespace", namespace: "", name: namespace)] != nil else {
            try requireReadable(
                "\(layout.root)/\(WorkspaceLayout.clusterFolder)/namespace-\(namespace).yaml", reference: "Namespace \(namespace)")
            throw .notFound(object: "Namespace \(namespace)")
        }
    }

    private mutating func putGateway(_ gateway: Gateway) throws(StoreError) {
        let wanted = ManifestRenderer.gatewayObjects(gateway, flavor: settings.gatewayFlavor)
        let wantedKeys = Set(wanted.map(ObjectKey.init))
        for key in gatewayKeys(project: gateway.project) where !wantedKeys.contains(key) && objects[key] != nil {
            try delete(key)
        }
        for object in wanted { try put(object) }
    }

    private func gatewayKeys(project: String) -> [ObjectKey] {
        let name = Gateway.name(project: project)
        let namespace = settings.gatewayNamespace
        return ["Gateway", "Service", "Deployment"].map { ObjectKey(kind: $0, namespace: namespace, name: name) }
    }

    /// As the API server does for a NodePort or LoadBalancer Service: keep its node ports,
    /// honour explicit ones, allocate the missing ones.
    private mutating func allocateNodePorts(_ service: BackendService) throws(StoreError) -> BackendService {
        guard service.type == "NodePort" || service.type == "LoadBalancer" else { return service }
        var others = nodePortHolders
        others.services.removeAll { $0.namespace == service.namespace && $0.name == service.name }
        var allocator = NodePortAllocator(inventory: others)
        let owner = "Service \(service.namespace)/\(service.name)"
        var result = service
        var errors: [FieldError] = []
        for (index, port) in service.ports.enumerated() {
            guard let nodePort = port.nodePort else { continue }
            do { try allocator.claim(nodePort, owner: owner) } catch {
                errors.append(FieldError(FieldPath("spec.ports").index(index).child("nodePort"), error.description))
            }
        }
        for (index, port) in service.ports.enumerated() where port.nodePort == nil && errors.isEmpty {
            do { result.ports[index].nodePort = try allocator.allocate(owner: owner, using: &generator) } catch {
                errors.append(FieldError(FieldPath("spec.ports").index(index).child("nodePort"), error.description))
            }
        }
        guard errors.isEmpty else { throw .invalid(object: owner, errors: errors) }
        return result
    }

    /// A new or changed address pool gives pending LoadBalancer gateways their address.
    private mutating func assignPendingLoadBalancers() throws(StoreError) {
        for gateway in inventory.gateways where gateway.type == .loadBalancer && gateway.loadBalancerIngress.isEmpty {
            guard let address = AddressPoolAssigner.assign(to: gateway, inventory: inventory) else { continue }
            var assigned = gateway
            assigned.loadBalancerIngress = [LoadBalancerIngress(ip: address)]
            try putGateway(assigned)
        }
    }

    /// Compared as rendered, so that a change of a field kgate does not model counts; the
    /// fields the store sets (resourceVersion, a route's creationTimestamp) do not.
    private static func sameContent(_ a: KubeObject, _ b: KubeObject) -> Bool {
        func withoutStoreFields(_ object: KubeObject) -> KubeObject {
            var object = object
            object.resourceVersion = nil
            if case .route(var route) = object, route.metadata.creationTimestamp != nil {
                route.metadata.creationTimestamp = nil
                object = .route(route)
            }
            return object
        }
        let (a, b) = (withoutStoreFields(a), withoutStoreFields(b))
        return a == b && ManifestValue(a) == ManifestValue(b)
    }

    private mutating func creationTime() -> String {
        if let now { return now }
        let stamp = Date().formatted(.iso8601)
        now = stamp
        return stamp
    }


    private static func route(_ object: KubeObject) throws(StoreError) -> Route {
        guard case .route(let route) = object else {
            throw .unavailable(reason: "\(object.reference) was stored as a \(object.kind), not a route")
        }
        return route
    }
}

extension GatewayRequest {
    /// The request a Gateway manifest makes: what it sets, node ports included.
    init(applying gateway: Gateway) {
        self.init(
            project: gateway.project, type: gateway.type, httpNodePort: gateway.httpNodePort,
            httpsNodePort: gateway.httpsNodePort, annotations: gateway.annotations, governance: gateway.governance,
            replicas: gateway.replicas, config: gateway.config)
    }
}

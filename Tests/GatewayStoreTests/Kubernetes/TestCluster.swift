import Foundation
import GatewayKit
import GatewayStore

/// The state of the test API server: objects as JSON trees, one global resourceVersion
/// counter, an event log for watches, and the semantics the API documents for the calls
/// kgate makes (201 on create, 409 AlreadyExists / Conflict, 422 Invalid with causes,
/// Services defaulted and given a cluster IP and node ports, the Gateway CRD's status
/// subresource, finalizers, managedFields, PATCH in its four flavours).
///
/// It does not use GatewayKit's object parser, `Validate` or `NodePortAllocator`: objects
/// are checked by `TestValidation` and Services allocated by `TestServiceRegistry`, both
/// written from the Kubernetes API reference, so that kgate and this server cannot agree
/// by sharing a mistake. GatewayKit serves only to read and write JSON and YAML trees
/// (and to render the model objects a test seeds).
///
/// With `kubeSphereControllers` on, writes to the gateway namespace are followed by a
/// reconcile of `TestKubeSphereControllers` (Helm releases for Gateway CRs).
final class TestCluster: @unchecked Sendable {
    struct Key: Hashable, Comparable {
        var namespace: String
        var name: String
        static func < (a: Key, b: Key) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
    }

    struct Event {
        var revision: Int
        var resource: TestResource
        var type: String
        var object: ManifestValue
    }

    struct Watcher {
        var id: Int
        var watch: TestWatch
        var send: @Sendable (String) -> Void
        var close: @Sendable () -> Void
    }

    /// Who may do what: nil token means no authentication. Tests change it while the
    /// server runs, hence the lock.
    var expectedToken: String? {
        get { lock.withLock { configuration.token } }
        set { lock.withLock { configuration.token = newValue } }
    }
    /// `(verb, plural)` pairs RBAC refuses, such as `("update", "ingresses")`.
    var forbidden: Set<[String]> {
        get { lock.withLock { configuration.forbidden } }
        set { lock.withLock { configuration.forbidden = newValue } }
    }
    var servesGateways: Bool {
        get { lock.withLock { configuration.servesGateways } }
        set { lock.withLock { configuration.servesGateways = newValue } }
    }
    /// Plurals the server does not serve, as an older Kubernetes (`ingresses` before 1.19,
    /// `endpointslices` before 1.21 in the versions kgate asks for).
    var notServed: Set<String> {
        get { lock.withLock { configuration.notServed } }
        set { lock.withLock { configuration.notServed = newValue } }
    }
    /// The most items a list page holds, whatever the client's limit (nil: the limit).
    var pageLimit: Int? {
        get { lock.withLock { configuration.pageLimit } }
        set { lock.withLock { configuration.pageLimit = newValue } }
    }
    /// The next request with a continue token is answered 410, as when its snapshot expired.
    var expireNextContinue: Bool {
        get { lock.withLock { configuration.expireNextContinue } }
        set { lock.withLock { configuration.expireNextContinue = newValue } }
    }

    func takeExpiredContinue() -> Bool {
        lock.withLock {
            defer { configuration.expireNextContinue = false }
            return configuration.expireNextContinue
        }
    }

    /// Watches are answered with headers and then nothing, as over a half-open connection.
    var silentWatches: Bool {
        get { lock.withLock { configuration.silentWatches } }
        set { lock.withLock { configuration.silentWatches = newValue } }
    }
    var servesEips: Bool {
        get { lock.withLock { configuration.servesEips } }
        set { lock.withLock { configuration.servesEips = newValue } }
    }
    /// Pods, events, pod logs and a Prometheus stand-in: the gateway's activity.
    let activity = TestGatewayActivity()
    /// `--service-node-port-range`; a test may narrow it to see the allocator fill it.
    var nodePortRange: ClosedRange<Int> {
        get { lock.withLock { configuration.nodePortRange } }
        set { lock.withLock { configuration.nodePortRange = newValue } }
    }

    /// How KubeSphere's controllers run on this cluster: not at all (the default, as
    /// before the emulation existed), when a test calls `reconcile()`, or also after
    /// every write to the gateway namespace (as the Helm operator's watches do).
    enum ControllerMode: Sendable { case off, manual, automatic }

    var kubeSphereControllers: ControllerMode {
        get { lock.withLock { configuration.controllers } }
        set { lock.withLock { configuration.controllers = newValue } }
    }

    private struct Configuration {
        var controllers = ControllerMode.off
        var nodePortRange = 30000...32767
        var token: String?
        var forbidden: Set<[String]> = []
        var servesGateways = true
        var servesEips = true
        var silentWatches = false
        var pageLimit: Int?
        var notServed: Set<String> = []
        var expireNextContinue = false
    }

    private let lock = NSLock()
    private var configuration = Configuration()
    private var objects: [TestResource: [Key: ManifestValue]] = [:]
    private var revision = 100
    private var events: [Event] = []
    /// Events at or below this revision are forgotten: watching from there is 410 Gone.
    private var compactedThrough = 0
    private var watchers: [Watcher] = []
    private var nextWatcherID = 0
    private var generator = SystemRandomNumberGenerator()
    private var releases: [String: [String: ManifestValue]] = [:]

    var watcherCount: Int { lock.withLock { watchers.count } }

    /// The requests the server received, oldest first.
    var requests: [TestRequest] { lock.withLock { received } }
    private var received: [TestRequest] = []

    func record(_ request: TestRequest) { lock.withLock { received.append(request) } }

    // MARK: Direct access (what another client of the cluster does)

    /// Stores `object` as the cluster would hold it after a POST and its controllers'
    /// status writes (a seeded Gateway keeps its status), failing the test setup on a
    /// refusal.
    @discardableResult
    func seed(_ object: KubeObject) throws -> ManifestValue {
        guard let resource = TestResource.of(kind: object.kind) else { throw SeedError(message: "no resource for \(object.kind)") }
        var namespace = object.namespace
        if case .settings = object { namespace = Gateway.defaultNamespace }
        return try seed(ManifestValue(object), resource: resource, namespace: namespace)
    }

    /// Stores a manifest given as a tree (its kind and `metadata.namespace` say where).
    @discardableResult
    func seed(manifest: ManifestValue) throws -> ManifestValue {
        guard let kind = manifest["kind"]?.text, let resource = TestResource.of(kind: kind) else {
            throw SeedError(message: "no resource for \(JSONEmitter.document(manifest["kind"] ?? .null))")
        }
        return try seed(manifest, resource: resource, namespace: manifest["metadata"]?["namespace"]?.text ?? "")
    }

    private func seed(_ value: ManifestValue, resource: TestResource, namespace: String) throws -> ManifestValue {
        let name = value["metadata"]?["name"]?.text ?? ""
        let result = lock.withLock { create(resource, namespace: namespace, body: value, manager: nil, keepStatus: true) }
        switch result {
        case .success(let stored): return stored
        case .failure(let status): throw SeedError(message: "\(resource.kind) \(namespace)/\(name): \(JSONEmitter.document(status.body))")
        }
    }

    struct SeedError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Stores `body` as another client's create would, without kgate's validation: for
    /// objects kgate's parser does not take (KubeSphere's own ConfigMaps). Added for
    /// KubeSphereCitizenTests (issue 10).
    @discardableResult
    func seedUnvalidated(_ resource: TestResource, namespace: String, body: ManifestValue) -> ManifestValue {
        lock.withLock {
            var value = body
            var name = ""
            if case .string(let text)? = body["metadata"]?["name"] { name = text }
            if resource.namespaced { value.set(["metadata", "namespace"], .string(namespace)) }
            value.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
            revision += 1
            value.set(["metadata", "resourceVersion"], .string(String(revision)))
            objects[resource, default: [:]][Key(namespace: resource.namespaced ? namespace : "", name: name)] = value
            record(resource, "ADDED", value)
            return value
        }
    }

    /// The stored tree of one object.
    func object(_ resource: TestResource, namespace: String, name: String) -> ManifestValue? {
        lock.withLock { objects[resource]?[Key(namespace: namespace, name: name)] }
    }

    /// Changes a stored object in place, as another client's update would (no validation).
    func modify(_ resource: TestResource, namespace: String, name: String, _ change: (inout ManifestValue) -> Void) {
        lock.withLock {
            let key = Key(namespace: namespace, name: name)
            guard var value = objects[resource]?[key] else { return }
            change(&value)
            revision += 1
            value.set(["metadata", "resourceVersion"], .string(String(revision)))
            objects[resource, default: [:]][key] = value
            record(resource, "MODIFIED", value)
        }
    }

    /// What each Helm release last rendered, by plural (Helm keeps it in its release
    /// Secret): the "original" of its three-way merge. Nil: not installed.
    func releaseManifests(_ release: String) -> [String: ManifestValue]? { lock.withLock { releases[release] } }

    func setReleaseManifests(_ release: String, _ manifests: [String: ManifestValue]?) {
        lock.withLock { releases[release] = manifests }
    }

    /// Forgets every event so far: a watch from an older version gets 410 Gone.
    func compact() { lock.withLock { compactedThrough = revision } }

    /// Whether a snapshot at `revision` was compacted away.
    func isCompacted(_ revision: Int) -> Bool { lock.withLock { revision < compactedThrough } }

    // MARK: API semantics

    func list(_ resource: TestResource, namespace: String, fieldSelector: [String: String]) -> (items: [ManifestValue], revision: Int) {
        lock.withLock {
            let items = (objects[resource] ?? [:]).sorted { $0.key < $1.key }
                .filter { namespace.isEmpty || $0.key.namespace == namespace }
                .map(\.value)
                .filter { TestCluster.matches($0, fieldSelector) }
            return (items, revision)
        }
    }

    func get(_ resource: TestResource, namespace: String, name: String) -> Result<ManifestValue, TestStatus> {
        lock.withLock {
            guard let value = objects[resource]?[Key(namespace: namespace, name: name)] else {
                return .failure(.notFound(resource, name))
            }
            return .success(value)
        }
    }

    /// A POST: `manager` is the field manager recorded in managedFields (nil: none).
    func createLocked(_ resource: TestResource, namespace: String, body: ManifestValue, manager: String? = nil) -> Result<ManifestValue, TestStatus> {
        lock.withLock { create(resource, namespace: namespace, body: body, manager: manager, keepStatus: false) }
    }

    private func create(
        _ resource: TestResource, namespace: String, body: ManifestValue, manager: String?, keepStatus: Bool
    ) -> Result<ManifestValue, TestStatus> {
        guard case .string(let name)? = body["metadata"]?["name"], !name.isEmpty else {
            return .failure(.invalid(resource, "", [.required("metadata.name", "name or generateName is required")]))
        }
        if resource.namespaced, objects[TestResource.namespaces]?[Key(namespace: "", name: namespace)] == nil {
            return .failure(.namespaceNotFound(namespace))
        }
        let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
        if objects[resource]?[key] != nil { return .failure(.alreadyExists(resource, name)) }
        return write(resource, key: key, previous: nil, proposed: body, manager: manager, subresource: nil, keepStatus: keepStatus)
    }

    /// A PUT of the object, or of its `status` subresource. A resourceVersion in the body
    /// is a precondition; none is an unconditional update.
    func update(
        _ resource: TestResource, namespace: String, name: String, body: ManifestValue, manager: String? = nil,
        subresource: String? = nil
    ) -> Result<ManifestValue, TestStatus> {
        lock.withLock {
            let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
            guard let stored = objects[resource]?[key] else { return .failure(.notFound(resource, name)) }
            if let refusal = Self.precondition(body, stored: stored, resource: resource, name: name) { return .failure(refusal) }
            return write(resource, key: key, previous: stored, proposed: body, manager: manager, subresource: subresource, keepStatus: false)
        }
    }

    /// A PATCH (see `TestPatch`): read, patch and write in one step, as the API server
    /// does under its optimistic lock. A resourceVersion in the patched object that is
    /// not the stored one is a 409. Apply creates a missing object.
    func patch(
        _ resource: TestResource, namespace: String, name: String, kind: TestPatch.Kind, body: ManifestValue,
        manager: String, force: Bool = false, subresource: String? = nil
    ) -> Result<(object: ManifestValue, created: Bool), TestStatus> {
        lock.withLock {
            let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
            guard let stored = objects[resource]?[key] else {
                guard kind == .apply, subresource == nil else { return .failure(.notFound(resource, name)) }
                var applied = body
                applied.set(["metadata", "name"], .string(name))
                return TestPatch.apply(live: nil, applied: applied, manager: manager, force: force)
                    .flatMap { create(resource, namespace: namespace, body: $0, manager: nil, keepStatus: false) }
                    .map { ($0, true) }
            }
            let patched: Result<ManifestValue, TestStatus> = switch kind {
            case .merge: .success(TestPatch.merge(stored, body))
            case .strategic: .success(TestPatch.strategic(stored, body))
            case .json: TestPatch.jsonPatch(stored, body)
            case .apply: TestPatch.apply(live: stored, applied: body, manager: manager, force: force)
            }
            switch patched {
            case .failure(let status): return .failure(status)
            case .success(let value):
                if let refusal = Self.precondition(value, stored: stored, resource: resource, name: name) { return .failure(refusal) }
                if let renamed = value["metadata"]?["name"]?.text, renamed != name {
                    return .failure(.badRequest("the name of the object (\(renamed)) does not match the name on the URL (\(name))"))
                }
                return write(
                    resource, key: key, previous: stored, proposed: value, manager: kind == .apply ? nil : manager,
                    subresource: subresource, keepStatus: false
                ).map { ($0, false) }
            }
        }
    }

    /// A DELETE. `options` is the DeleteOptions body, whose `preconditions` (uid,
    /// resourceVersion) must hold. An object with finalizers is only marked
    /// (`deletionTimestamp`) until an update empties them.
    func delete(_ resource: TestResource, namespace: String, name: String, options: ManifestValue? = nil) -> Result<ManifestValue, TestStatus> {
        lock.withLock {
            let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
            guard var value = objects[resource]?[key] else { return .failure(.notFound(resource, name)) }
            for field in ["uid", "resourceVersion"] {
                if let wanted = options?["preconditions"]?[field]?.text, let held = value["metadata"]?[field]?.text, wanted != held {
                    let label = field == "uid" ? "UID" : "ResourceVersion"
                    return .failure(.conflict(
                        resource, name,
                        detail: "Precondition failed: \(label) in precondition: \(wanted), \(label) in object meta: \(held)"))
                }
            }
            let finalizers = value["metadata"]?["finalizers"]?.items ?? []
            // Already marked: nothing more happens until the finalizers are gone.
            if !finalizers.isEmpty, value["metadata"]?["deletionTimestamp"] != nil { return .success(value) }
            revision += 1
            value.set(["metadata", "resourceVersion"], .string(String(revision)))
            if !finalizers.isEmpty {
                value.set(["metadata", "deletionTimestamp"], .string("2026-11-27T12:30:00Z"))
                value.set(["metadata", "deletionGracePeriodSeconds"], .int(0))
                objects[resource, default: [:]][key] = value
                record(resource, "MODIFIED", value)
                return .success(value)
            }
            objects[resource]?.removeValue(forKey: key)
            record(resource, "DELETED", value)
            return .success(value)
        }
    }

    /// 409 when `body` names a resourceVersion other than the stored one.
    private static func precondition(_ body: ManifestValue, stored: ManifestValue, resource: TestResource, name: String) -> TestStatus? {
        guard case .string(let wanted)? = body["metadata"]?["resourceVersion"], !wanted.isEmpty,
            case .string(let current)? = stored["metadata"]?["resourceVersion"], wanted != current
        else { return nil }
        return .conflict(resource, name)
    }

    /// Kinds whose `metadata.generation` counts changes of the spec.
    private static let generationKinds: Set<String> = ["deployments", "ingresses", "gateways", "eips"]

    /// The one write path, under the lock: server-owned metadata kept, the status
    /// subresource honoured, Services defaulted and allocated, validation, finalizers,
    /// managedFields, then the next resourceVersion and a watch event. A write that
    /// changes nothing stores nothing and keeps the resourceVersion, as the API server does.
    private func write(
        _ resource: TestResource, key: Key, previous: ManifestValue?, proposed: ManifestValue, manager: String?,
        subresource: String?, keepStatus: Bool
    ) -> Result<ManifestValue, TestStatus> {
        var value = proposed
        if resource.hasStatusSubresource, !keepStatus {
            if subresource == "status", let previous {
                value = previous
                value.set("status", proposed["status"] ?? .map([]))
            } else if let status = previous?["status"] {
                value.set("status", status)
            } else {
                value = value.removing("status")
            }
        }
        value.set("apiVersion", .string(resource.groupVersion))
        value.set("kind", .string(resource.kind))
        value = value.removing(path: ["metadata", "managedFields"])
        if let previous {
            for field in ["uid", "creationTimestamp", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] {
                if let kept = previous["metadata"]?[field] { value.set(["metadata", field], kept) } else {
                    value = value.removing(path: ["metadata", field])
                }
            }
        } else {
            if resource.namespaced { value.set(["metadata", "namespace"], .string(key.namespace)) }
            value.set(["metadata", "creationTimestamp"], .string("2026-11-27T12:00:00Z"))
            value.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
            for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"] {
                value = value.removing(path: ["metadata", field])
            }
        }
        var errors = TestValidation.errors(value, resource: resource)
        if resource == TestResource.services {
            var held = Set<Int>()
            var addresses = Set<String>()
            for (otherKey, other) in objects[resource] ?? [:] where otherKey != key {
                held.formUnion(TestCluster.nodePorts(other))
                if let address = other["spec"]?["clusterIP"]?.text, address != "None" { addresses.insert(address) }
            }
            let registry = TestServiceRegistry(nodePortRange: configuration.nodePortRange, heldNodePorts: held, heldClusterIPs: addresses)
            switch registry.prepare(value, previous: previous, using: &generator) {
            case .success(let prepared): value = prepared
            case .failure(let refusals): errors += refusals.errors
            }
        }
        guard errors.isEmpty else { return .failure(.invalid(resource, key.name, errors)) }
        if Self.generationKinds.contains(resource.plural) {
            let before: Int = if case .int(let number)? = previous?["metadata"]?["generation"] { number } else { 0 }
            value.set(["metadata", "generation"], .int(previous == nil || previous?["spec"] != value["spec"] ? before + 1 : before))
        }
        if let previous {
            var unchanged = value
            unchanged.set(["metadata", "resourceVersion"], previous["metadata"]?["resourceVersion"] ?? .null)
            if unchanged == previous.removing(path: ["metadata", "managedFields"]) { return .success(previous) }
        }
        let managed = TestManagedFields.entries(proposed)
        if let manager {
            value = TestManagedFields.recordingUpdate(by: manager, previous: previous, in: value)
        } else if !managed.isEmpty {
            value = TestManagedFields.recording(managed, in: value)
        } else if let previous, previous["metadata"]?["managedFields"] != nil {
            value = TestManagedFields.recording(TestManagedFields.entries(previous), in: value)
        }
        revision += 1
        value.set(["metadata", "resourceVersion"], .string(String(revision)))
        if previous?["metadata"]?["deletionTimestamp"] != nil, (value["metadata"]?["finalizers"]?.items ?? []).isEmpty {
            objects[resource]?.removeValue(forKey: key)
            record(resource, "DELETED", value)
            return .success(value)
        }
        objects[resource, default: [:]][key] = value
        record(resource, previous == nil ? "ADDED" : "MODIFIED", value)
        return .success(value)
    }

    static func nodePorts(_ service: ManifestValue) -> [Int] { Array(nodePortsByName(service).values) }

    static func nodePortsByName(_ service: ManifestValue) -> [String: Int] {
        guard case .list(let ports)? = service["spec"]?["ports"] else { return [:] }
        var result: [String: Int] = [:]
        for port in ports {
            if case .int(let number)? = port["nodePort"] {
                if case .string(let name)? = port["name"] { result[name] = number } else { result[""] = number }
            }
        }
        return result
    }

    // MARK: Watches

    /// Registers a watch; replays what happened after its version first. Nil when its
    /// version is older than what the log keeps (the caller answers 410). Without a version
    /// (or with "0") the API starts with a synthetic ADDED event for each current object,
    /// which kubectl relies on (it skips the first event of `get NAME --watch`).
    func addWatcher(
        _ watch: TestWatch, send: @escaping @Sendable (String) -> Void, close: @escaping @Sendable () -> Void
    ) -> Int? {
        lock.withLock {
            let from = watch.fromRevision ?? revision
            if from < compactedThrough { return nil }
            if watch.fromRevision == nil {
                for (_, object) in (objects[watch.resource] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let event = Event(revision: revision, resource: watch.resource, type: "ADDED", object: object)
                    if TestCluster.concerns(watch, event) { send(TestCluster.line(event)) }
                }
            }
            for event in events where event.revision > from && TestCluster.concerns(watch, event) {
                send(TestCluster.line(event))
            }
            nextWatcherID += 1
            watchers.append(Watcher(id: nextWatcherID, watch: watch, send: send, close: close))
            return nextWatcherID
        }
    }

    func removeWatcher(_ id: Int) { lock.withLock { watchers.removeAll { $0.id == id } } }

    /// Ends every open watch, as an API server does when its watch timeout runs out.
    func dropWatches() {
        let dropped = lock.withLock {
            defer { watchers.removeAll() }
            return watchers
        }
        for watcher in dropped { watcher.close() }
    }

    /// Sends every open watch a BOOKMARK at the current revision, as an API server does
    /// to watches that asked with `allowWatchBookmarks`.
    func bookmark() {
        lock.withLock {
            let metadata = ManifestValue.map([ManifestField("resourceVersion", .string(String(revision)))])
            for watcher in watchers {
                let object = ManifestValue.map([
                    ManifestField("kind", .string(watcher.watch.resource.kind)),
                    ManifestField("apiVersion", .string(watcher.watch.resource.groupVersion)), ManifestField("metadata", metadata),
                ])
                watcher.send(TestCluster.line(Event(revision: revision, resource: watcher.watch.resource, type: "BOOKMARK", object: object)))
            }
        }
    }

    private func record(_ resource: TestResource, _ type: String, _ object: ManifestValue) {
        let event = Event(revision: revision, resource: resource, type: type, object: object)
        events.append(event)
        for watcher in watchers where TestCluster.concerns(watcher.watch, event) { watcher.send(TestCluster.line(event)) }
    }

    private static func concerns(_ watch: TestWatch, _ event: Event) -> Bool {
        guard watch.resource == event.resource else { return false }
        if !watch.namespace.isEmpty, event.object["metadata"]?["namespace"] != .string(watch.namespace) { return false }
        return matches(event.object, watch.fieldSelector)
    }

    private static func line(_ event: Event) -> String {
        JSONEmitter.document(.map([ManifestField("type", .string(event.type)), ManifestField("object", event.object)]))
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined() + "\n"
    }

    /// `type=kubernetes.io/tls`, `metadata.name=web`: equality on dotted paths.
    static func matches(_ value: ManifestValue, _ selector: [String: String]) -> Bool {
        selector.allSatisfy { path, wanted in
            var current: ManifestValue? = value
            for key in path.split(separator: ".") { current = current?[String(key)] }
            return current == .string(wanted)
        }
    }
}

extension ManifestValue {
    mutating func set(_ path: [String], _ value: ManifestValue) {
        guard let first = path.first else { return }
        if path.count == 1 { return set(first, value) }
        var child = self[first] ?? .map([])
        child.set(Array(path.dropFirst()), value)
        set(first, child)
    }

    mutating func set(_ key: String, _ value: ManifestValue) {
        guard case .map(var fields) = self else { return }
        if let index = fields.firstIndex(where: { $0.key == key }) { fields[index].value = value } else {
            fields.append(ManifestField(key, value))
        }
        self = .map(fields)
    }

    func removingNulls() -> ManifestValue {
        guard case .map(let fields) = self else { return self }
        return .map(fields.filter { $0.value != .null })
    }
}

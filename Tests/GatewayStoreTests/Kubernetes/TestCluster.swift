import Foundation
import GatewayKit
import GatewayStore

/// The state of the test API server: objects as JSON trees, one global resourceVersion
/// counter, an event log for watches, and the semantics the API documents for the calls
/// kgate makes (201 on create, 409 AlreadyExists / Conflict, 422 Invalid with causes,
/// node ports allocated for NodePort and LoadBalancer Services and kept on update).
///
/// Objects are validated with GatewayKit's own parser and `Validate.object`, which stands
/// in for the API server's validation (and is stricter in places, by kgate's rules).
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
    let nodePortRange = 30000...32767

    private struct Configuration {
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

    var watcherCount: Int { lock.withLock { watchers.count } }

    /// The requests the server received, oldest first.
    var requests: [TestRequest] { lock.withLock { received } }
    private var received: [TestRequest] = []

    func record(_ request: TestRequest) { lock.withLock { received.append(request) } }

    // MARK: Direct access (what another client of the cluster does)

    /// Creates `object` as a POST would, failing the test setup on a refusal.
    @discardableResult
    func seed(_ object: KubeObject) throws -> ManifestValue {
        let value = ManifestValue(object)
        guard let resource = TestResource.of(kind: object.kind) else { throw SeedError(message: "no resource for \(object.kind)") }
        var namespace = object.namespace
        if case .settings = object { namespace = Gateway.defaultNamespace }
        switch lock.withLock({ create(resource, namespace: namespace, body: value) }) {
        case .success(let stored): return stored
        case .failure(let status): throw SeedError(message: "\(object.reference): \(JSONEmitter.document(status.body))")
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

    /// Changes a stored object in place, as another client's update would.
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

    /// Forgets every event so far: a watch from an older version gets 410 Gone.
    func compact() { lock.withLock { compactedThrough = revision } }

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

    func createLocked(_ resource: TestResource, namespace: String, body: ManifestValue) -> Result<ManifestValue, TestStatus> {
        lock.withLock { create(resource, namespace: namespace, body: body) }
    }

    private func create(_ resource: TestResource, namespace: String, body: ManifestValue) -> Result<ManifestValue, TestStatus> {
        guard case .string(let name)? = body["metadata"]?["name"], !name.isEmpty else {
            return .failure(.invalid(resource, "", [("metadata.name", "Required value: name is required", "FieldValueRequired")]))
        }
        if resource.namespaced, objects[TestResource.all[0]]?[Key(namespace: "", name: namespace)] == nil {
            return .failure(.namespaceNotFound(namespace))
        }
        let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
        if objects[resource]?[key] != nil { return .failure(.alreadyExists(resource, name)) }
        var value = body
        if resource.namespaced { value.set(["metadata", "namespace"], .string(namespace)) }
        value.set(["metadata", "creationTimestamp"], .string("2026-11-27T12:00:00Z"))
        value.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
        return store(resource, key: key, value: value, previous: nil, type: "ADDED")
    }

    func update(_ resource: TestResource, namespace: String, name: String, body: ManifestValue) -> Result<ManifestValue, TestStatus> {
        lock.withLock {
            let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
            guard let stored = objects[resource]?[key] else { return .failure(.notFound(resource, name)) }
            if case .string(let wanted)? = body["metadata"]?["resourceVersion"],
                case .string(let current)? = stored["metadata"]?["resourceVersion"], wanted != current
            {
                return .failure(.conflict(resource, name))
            }
            var value = body
            for field in ["uid", "creationTimestamp", "namespace"] {
                if let kept = stored["metadata"]?[field] { value.set(["metadata", field], kept) }
            }
            return store(resource, key: key, value: value, previous: stored, type: "MODIFIED")
        }
    }

    func delete(_ resource: TestResource, namespace: String, name: String) -> Result<ManifestValue, TestStatus> {
        lock.withLock {
            let key = Key(namespace: resource.namespaced ? namespace : "", name: name)
            guard var value = objects[resource]?.removeValue(forKey: key) else { return .failure(.notFound(resource, name)) }
            revision += 1
            value.set(["metadata", "resourceVersion"], .string(String(revision)))
            record(resource, "DELETED", value)
            return .success(value)
        }
    }

    /// Validates, allocates node ports, stamps the next resourceVersion, stores, and
    /// tells the watchers.
    private func store(
        _ resource: TestResource, key: Key, value: ManifestValue, previous: ManifestValue?, type: String
    ) -> Result<ManifestValue, TestStatus> {
        var value = value
        value.set("apiVersion", .string(resource.groupVersion))
        value.set("kind", .string(resource.kind))
        if resource.plural == "services" {
            switch allocateNodePorts(value, previous: previous, key: key) {
            case .success(let allocated): value = allocated
            case .failure(let status): return .failure(status)
            }
        }
        if let refusal = validate(value, resource: resource, name: key.name) { return .failure(refusal) }
        revision += 1
        value.set(["metadata", "resourceVersion"], .string(String(revision)))
        objects[resource, default: [:]][key] = value
        record(resource, type, value)
        return .success(value)
    }

    private func validate(_ value: ManifestValue, resource: TestResource, name: String) -> TestStatus? {
        guard let parsed = ManifestParser.objectsOf(value).first else { return nil }
        switch parsed {
        case .failure(let failure):
            return .invalid(resource, name, failure.errors.map { ($0.field.description, $0.reason, "FieldValueInvalid") })
        case .success(let object):
            let errors = Validate.object(object, settings: WorkspaceSettings(nodePortRange: nodePortRange))
            guard errors.isEmpty else {
                return .invalid(resource, name, errors.map { ($0.field.description, $0.reason, "FieldValueInvalid") })
            }
            return nil
        }
    }

    /// As the API server: explicit node ports must be free, a port left at 0 on update
    /// keeps the one it held, the rest are allocated; ClusterIP Services hold none.
    private func allocateNodePorts(_ value: ManifestValue, previous: ManifestValue?, key: Key) -> Result<ManifestValue, TestStatus> {
        guard case .list(var ports)? = value["spec"]?["ports"] else { return .success(value) }
        let type: String
        if case .string(let text)? = value["spec"]?["type"] { type = text } else { type = "ClusterIP" }
        let owner = "Service \(key.namespace)/\(key.name)"
        var held: [Int: String] = [:]
        for (otherKey, other) in objects[TestResource.all[2]] ?? [:] where otherKey != key {
            for port in TestCluster.nodePorts(other) { held[port] = "Service \(otherKey.namespace)/\(otherKey.name)" }
        }
        var allocator = NodePortAllocator(range: nodePortRange, allocated: held)
        let before = previous.map(TestCluster.nodePortsByName) ?? [:]
        var causes: [(String, String, String)] = []
        for index in ports.indices {
            guard type == "NodePort" || type == "LoadBalancer" else {
                ports[index].set("nodePort", .null)
                continue
            }
            let name: String
            if case .string(let text)? = ports[index]["name"] { name = text } else { name = "" }
            var wanted: Int?
            if case .int(let number)? = ports[index]["nodePort"], number != 0 { wanted = number } else { wanted = before[name] }
            do {
                if let wanted {
                    try allocator.claim(wanted, owner: owner)
                    ports[index].set("nodePort", .int(wanted))
                } else {
                    ports[index].set("nodePort", .int(try allocator.allocate(owner: owner, using: &generator)))
                }
            } catch {
                causes.append(("spec.ports[\(index)].nodePort", "Invalid value: \(wanted ?? 0): \(error)", "FieldValueInvalid"))
            }
        }
        guard causes.isEmpty else { return .failure(.invalid(TestResource.all[2], key.name, causes)) }
        var result = value
        result.set(["spec", "ports"], .list(ports.map { $0.removingNulls() }))
        return .success(result)
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

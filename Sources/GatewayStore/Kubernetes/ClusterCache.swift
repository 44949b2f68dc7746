import Foundation
import GatewayKit

/// What the watches last saw of the cluster, kind by kind, as client-go's informer store
/// keeps it: each list replaces a kind's objects, each event changes one object. Once
/// every watched kind is listed, `load()` is answered from here instead of listing the
/// whole cluster again after each change.
///
/// It also holds why a watch is not following its kind (a 403 on watching secrets, a
/// server gone away), which `load()` reports as a warning of the inventory, so that the
/// console's status line shows it: a watch never stops silently.
final class ClusterCache: @unchecked Sendable {
    /// The watched kinds, with the discovery and settings they were chosen by.
    struct Plan: Sendable {
        var kinds: [ClusterReader.Listed]
        var settings: WorkspaceSettings
        /// What the cluster lacks that a view would show, as warnings of the inventory.
        var notices: [String] = []
    }

    private let lock = NSLock()
    private var plan: Plan?
    private var objects: [String: [String: ManifestValue]] = [:]
    private var problems: [String: String] = [:]

    func start(_ plan: Plan) {
        lock.withLock {
            self.plan = plan
            objects = [:]
        }
    }

    /// The settings ConfigMap was written: the plan (the kinds, the settings) may be wrong
    /// now, so `load()` lists the cluster again from here on.
    func forgetPlan() {
        lock.withLock { plan = nil }
    }

    /// A fresh list of one kind: all its objects at once. Says whether it was the last
    /// kind to be listed the first time, when `load()` starts reading from here.
    @discardableResult
    func replace(_ resource: APIResource, items: [ManifestValue]) -> Bool {
        let keyed = Dictionary(items.map { (Self.key($0), $0) }) { _, later in later }
        return lock.withLock {
            let wasComplete = isComplete
            objects[resource.qualifiedName] = keyed
            return !wasComplete && isComplete
        }
    }

    /// Whether every planned kind is listed; called with the lock held.
    private var isComplete: Bool {
        guard let plan else { return false }
        return plan.kinds.allSatisfy { objects[$0.resource.qualifiedName] != nil }
    }

    /// One watch event (`ADDED`, `MODIFIED`, `DELETED`), or the answer to kgate's own write.
    func apply(_ resource: APIResource, type: String, object: ManifestValue) {
        let key = Self.key(object)
        lock.withLock {
            guard objects[resource.qualifiedName] != nil else { return }  // not listed yet: the list brings it
            if type == "DELETED" {
                objects[resource.qualifiedName]?[key] = nil
            } else if !Self.isOlder(object, than: objects[resource.qualifiedName]?[key]) {
                objects[resource.qualifiedName]?[key] = object
            }
        }
    }

    /// Records why `resource` is not followed (nil: it is again); says whether that changed.
    @discardableResult
    func report(_ resource: APIResource, _ reason: String?) -> Bool {
        lock.withLock {
            defer { problems[resource.qualifiedName] = reason }
            return problems[resource.qualifiedName] != reason
        }
    }

    /// Why watches do not follow their kinds, as inventory warnings: `watch of secrets: not
    /// following changes: …`.
    var watchWarnings: [String] {
        lock.withLock {
            problems.sorted { $0.key < $1.key }.map { kind, reason in "watch of \(kind): not following changes: \(reason)" }
        }
    }

    /// Every watched kind's objects, once each was listed; nil before.
    func snapshot() -> (plan: Plan, items: [[ManifestValue]])? {
        lock.withLock {
            guard let plan else { return nil }
            var items: [[ManifestValue]] = []
            for kind in plan.kinds {
                guard let listed = objects[kind.resource.qualifiedName] else { return nil }
                items.append(listed.keys.sorted().compactMap { listed[$0] })
            }
            return (plan, items)
        }
    }

    private static func key(_ object: ManifestValue) -> String {
        var namespace = "", name = ""
        if case .string(let text)? = object["metadata"]?["namespace"] { namespace = text }
        if case .string(let text)? = object["metadata"]?["name"] { name = text }
        return namespace + "/" + name
    }

    /// A write's answer may arrive before the watch event of an earlier change; the older
    /// one must not win. resourceVersions are opaque to clients, but every API server
    /// backed by etcd gives integers, so two integers are compared and anything else wins.
    private static func isOlder(_ object: ManifestValue, than stored: ManifestValue?) -> Bool {
        guard let new = ObjectCodec.resourceVersion(object).flatMap({ UInt64($0) }),
            let old = ObjectCodec.resourceVersion(stored).flatMap({ UInt64($0) })
        else { return false }
        return new < old
    }
}

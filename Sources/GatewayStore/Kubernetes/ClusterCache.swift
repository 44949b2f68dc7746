import Foundation
import GatewayKit

/// What the watches last saw of the cluster, kind by kind, as client-go's informer store
/// keeps it: each list replaces a kind's objects, each event changes one object. Once
/// every watched kind is listed, `load()` is answered from here instead of listing the
/// whole cluster again after each change; each object is decoded when it arrives and the
/// inventory patched for it (see `ClusterAssembly`), so an event costs work for its object.
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
    private var assembly: ClusterAssembly?
    /// The settings were written through the store: the plan may be wrong now.
    private var planForgotten = false
    /// Counts `start`s: a list decoded for one plan is not put into the next.
    private var generation = 0
    private var problems: [String: String] = [:]

    func start(_ plan: Plan) {
        lock.withLock {
            assembly = ClusterAssembly(plan: plan)
            planForgotten = false
            generation += 1
        }
    }

    /// The settings ConfigMap was written: the plan (the kinds, the settings) may be wrong
    /// now, so `load()` lists the cluster again from here on.
    func forgetPlan() {
        lock.withLock { planForgotten = true }
    }

    /// A fresh list of one kind: all its objects at once. Says whether it was the last
    /// kind to be listed the first time, when `load()` starts reading from here. Objects
    /// are decoded outside the lock, and those the last list had unchanged not at all.
    @discardableResult
    func replace(_ resource: APIResource, items: [ManifestValue]) -> Bool {
        guard let (generation, plan, kind, old) = lock.withLock({ () -> (Int, Plan, Int, [String: ClusterAssembly.Entry]?)? in
            guard let assembly = self.assembly, let kind = assembly.kind(of: resource) else { return nil }
            return (self.generation, assembly.plan, kind, assembly.entries(kind))
        }) else { return false }
        let listed = plan.kinds[kind]
        var keyed: [String: ManifestValue] = [:]
        keyed.reserveCapacity(items.count)
        for item in items { keyed[ClusterAssembly.key(item)] = item }  // a later duplicate wins
        let changed = keyed.values.filter { old?[ClusterAssembly.key($0)]?.value != $0 }
        let decoded = ClusterAssembly.entries(changed, kind: listed, settings: plan.settings)
        return lock.withLock {
            guard self.generation == generation, var assembly = self.assembly else { return false }
            let current = assembly.entries(kind) ?? [:]
            var fresh: [String: ClusterAssembly.Entry] = [:]
            fresh.reserveCapacity(keyed.count)
            for (key, value) in keyed {
                if let entry = decoded[key] {
                    fresh[key] = entry
                } else if let entry = current[key], entry.value == value {
                    fresh[key] = entry
                } else {
                    // Changed by an event since the snapshot above: decoded here, rarely.
                    fresh[key] = ClusterAssembly.Entry(
                        value: value, decoded: ClusterAssembly.decode(value, kind: listed, settings: plan.settings))
                }
            }
            self.assembly = nil  // patched in place, not copied
            defer { self.assembly = assembly }
            return assembly.replace(kind, with: fresh)
        }
    }

    /// One watch event (`ADDED`, `MODIFIED`, `DELETED`), or the answer to kgate's own write.
    func apply(_ resource: APIResource, type: String, object: ManifestValue) {
        let key = ClusterAssembly.key(object)
        guard let (generation, plan, kind) = lock.withLock({ () -> (Int, Plan, Int)? in
            guard let assembly = self.assembly, let kind = assembly.kind(of: resource), assembly.isListed(kind) else { return nil }
            return (self.generation, assembly.plan, kind)
        }) else { return }  // not listed yet: the list brings it
        let entry = type == "DELETED"
            ? nil
            : ClusterAssembly.Entry(value: object, decoded: ClusterAssembly.decode(object, kind: plan.kinds[kind], settings: plan.settings))
        lock.withLock {
            guard self.generation == generation, var assembly = self.assembly, assembly.isListed(kind) else { return }
            if let entry, Self.isOlder(entry.value, than: assembly.entry(kind, key: key)?.value) { return }
            self.assembly = nil  // patched in place
            assembly.apply(kind, key: key, entry)
            self.assembly = assembly
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
        lock.withLock { warnings }
    }

    /// Called with the lock held.
    private var warnings: [String] {
        problems.sorted { $0.key < $1.key }.map { kind, reason in "watch of \(kind): not following changes: \(reason)" }
    }

    /// The inventory of every watched kind, with the plan's notices and the watches'
    /// warnings, once each kind was listed; nil before (and once the plan is forgotten).
    func inventory() -> Inventory? {
        lock.withLock {
            guard !planForgotten, let assembly = self.assembly, var inventory = assembly.inventory else { return nil }
            inventory.warnings = assembly.plan.notices + warnings
            return inventory
        }
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

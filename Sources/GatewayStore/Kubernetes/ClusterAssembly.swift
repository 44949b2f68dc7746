import Dispatch
import Foundation
import GatewayKit

/// A cluster's inventory as the watches keep it: every object of every watched kind by
/// `namespace/name`, decoded and validated once, when it arrives, and the inventory
/// derived from them, patched object by object, so that a watch event costs work for its
/// object (a decode, a binary search, an insertion), not a reassembly of the cluster.
///
/// `ClusterAssembly.inventory(_:decoded:)` assembles a whole cluster at once (what a load
/// without watches does); the patched inventory always equals it over the same objects,
/// each kind's in key order (the tests check that after every kind of event).
struct ClusterAssembly {
    /// One object of a watched kind: its tree as the server sent it, and what it is to kgate.
    struct Entry: Sendable {
        var value: ManifestValue
        var decoded: Decoded
    }

    enum Decoded: Sendable, Equatable {
        case object(KubeObject)
        /// It does not parse or breaks kgate's rules: reported, as a broken file is.
        case problem(ManifestProblem)
        /// Listed but not kgate's (a Deployment in the gateway namespace that is no router).
        case ignored
    }

    let plan: ClusterCache.Plan
    /// Each planned kind's entries; nil until the kind is listed.
    private var kinds: [[String: Entry]?]
    /// The inventory of every kind, once each is listed; nil before. No warnings: those
    /// are the cache's to add.
    private(set) var inventory: Inventory?

    // What a patch needs besides the inventory, kept with it.
    /// Each kind's problems by key: the inventory lists them kind by kind, in key order.
    private var problems: [[String: ManifestProblem]]
    /// Gateway CRs and router Deployments: the gateways are merged again from these (and
    /// the Services that go with them) when one of them changes.
    private var gatewayParts: [EntryID: KubeObject] = [:]
    /// Which entry each of `inventory.endpoints` is, in order: they keep the lists' order.
    private var endpointOrder: [EntryID] = []

    /// An entry's place: its kind's position in the plan, then its key.
    struct EntryID: Hashable, Comparable {
        var kind: Int
        var key: String
        static func < (a: EntryID, b: EntryID) -> Bool { (a.kind, a.key) < (b.kind, b.key) }
    }

    init(plan: ClusterCache.Plan) {
        self.plan = plan
        kinds = Array(repeating: nil, count: plan.kinds.count)
        problems = Array(repeating: [:], count: plan.kinds.count)
    }

    /// The position of `resource` in the plan, if it is watched.
    func kind(of resource: APIResource) -> Int? { plan.kinds.firstIndex { $0.resource == resource } }

    var isComplete: Bool { kinds.allSatisfy { $0 != nil } }

    /// The entries of one kind, nil when it was not listed yet.
    func entries(_ kind: Int) -> [String: Entry]? { kinds[kind] }

    func isListed(_ kind: Int) -> Bool { kinds[kind] != nil }

    /// One entry, without holding on to its kind's others (which a change would then copy).
    func entry(_ kind: Int, key: String) -> Entry? { kinds[kind]?[key] }

    /// A fresh list of one kind: all its entries at once. Says whether it was the last kind
    /// to be listed the first time. A relist patches the objects that differ from the
    /// last list, or assembles everything again when most of them do.
    @discardableResult
    mutating func replace(_ kind: Int, with fresh: [String: Entry]) -> Bool {
        let old = kinds[kind]
        kinds[kind] = fresh
        guard inventory != nil, let old else {
            if isComplete {
                rebuild()
                return true
            }
            return false
        }
        var changed: [(key: String, old: Decoded?, new: Decoded?)] = []
        for (key, entry) in fresh where old[key]?.value != entry.value {
            changed.append((key, old[key]?.decoded, entry.decoded))
        }
        for (key, entry) in old where fresh[key] == nil { changed.append((key, entry.decoded, nil)) }
        if changed.count > Self.patchLimit {
            rebuild()
        } else {
            for change in changed { patch(EntryID(kind: kind, key: change.key), old: change.old, new: change.new) }
        }
        return false
    }

    /// Beyond this many changed objects, a relist assembles everything again: each patch
    /// moves the list it changes.
    static let patchLimit = 256

    /// One object added, changed (`entry`) or deleted (nil). Ignored for a kind not listed
    /// yet: its list brings the object.
    mutating func apply(_ kind: Int, key: String, _ entry: Entry?) {
        guard kinds[kind] != nil else { return }
        let old = kinds[kind]?[key]
        kinds[kind]?[key] = entry
        guard inventory != nil, old?.value != entry?.value else { return }
        patch(EntryID(kind: kind, key: key), old: old?.decoded, new: entry?.decoded)
    }

    // MARK: Decoding

    /// What one item of `kind` is to kgate.
    static func decode(_ item: ManifestValue, kind: ClusterReader.Listed, settings: WorkspaceSettings) -> Decoded {
        if kind.resource == .deployments, !isRouterDeployment(item) { return .ignored }
        let reference = "\(kind.resource.kind) " + objectName(item)
        // v1 Endpoints (before 1.21) are read as the EndpointSlice of their Service.
        let decoded = kind.resource == .endpoints
            ? ObjectCodec.decode(IngressVersions.endpointSlice(fromEndpoints: item), as: .endpointSlices)
            : ObjectCodec.decode(item, as: kind.resource)
        switch decoded {
        case .failure(let failure):
            return .problem(ManifestProblem(source: reference, errors: failure.errors))
        case .success(let object):
            let errors = Validate.object(object, settings: settings)
            return errors.isEmpty ? .object(object) : .problem(ManifestProblem(source: reference, errors: errors))
        }
    }

    /// `decode` of every item, in order; a long list is shared out among the cores.
    static func decodeAll(_ items: [ManifestValue], kind: ClusterReader.Listed, settings: WorkspaceSettings) -> [Decoded] {
        items.parallelMap { decode($0, kind: kind, settings: settings) }
    }

    /// The entries of a list, keyed, each decoded.
    static func entries(_ items: [ManifestValue], kind: ClusterReader.Listed, settings: WorkspaceSettings) -> [String: Entry] {
        let decoded = decodeAll(items, kind: kind, settings: settings)
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(items.count)
        for (item, result) in zip(items, decoded) { entries[key(item)] = Entry(value: item, decoded: result) }
        return entries
    }

    /// `namespace/name` of an API object.
    static func key(_ object: ManifestValue) -> String {
        var namespace = "", name = ""
        if case .string(let text)? = object["metadata"]?["namespace"] { namespace = text }
        if case .string(let text)? = object["metadata"]?["name"] { name = text }
        return namespace + "/" + name
    }

    private static func isRouterDeployment(_ item: ManifestValue) -> Bool {
        objectName(item).split(separator: "/").last?.hasPrefix(Gateway.name(project: "")) ?? false
    }

    private static func objectName(_ item: ManifestValue) -> String {
        let name: String
        if case .string(let text)? = item["metadata"]?["name"] { name = text } else { name = "?" }
        if case .string(let namespace)? = item["metadata"]?["namespace"], !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    // MARK: Assembling

    /// The inventory of `decoded` (each planned kind's objects, in order), without warnings.
    static func inventory(_ plan: ClusterCache.Plan, decoded: [[Decoded]]) -> Inventory {
        var objects: [KubeObject] = [.settings(plan.settings)]
        var problems: [ManifestProblem] = []
        for kindItems in decoded {
            for item in kindItems {
                switch item {
                case .object(let object): objects.append(object)
                case .problem(let problem): problems.append(problem)
                case .ignored: break
                }
            }
        }
        return ClusterReader.assemble(objects: objects, problems: problems)
    }

    /// Assembles everything from the entries, and what patches need beside it.
    private mutating func rebuild() {
        var decoded: [[Decoded]] = []
        problems = Array(repeating: [:], count: plan.kinds.count)
        gatewayParts = [:]
        endpointOrder = []
        for (kind, listed) in kinds.enumerated() {
            let sorted = (listed ?? [:]).sorted { $0.key < $1.key }
            decoded.append(sorted.map(\.value.decoded))
            for (key, entry) in sorted {
                let id = EntryID(kind: kind, key: key)
                switch entry.decoded {
                case .problem(let problem): problems[kind][key] = problem
                case .object(.gateway(let o)): gatewayParts[id] = .gateway(o)
                case .object(.routerDeployment(let o)): gatewayParts[id] = .routerDeployment(o)
                case .object(.endpoints): endpointOrder.append(id)
                default: break
                }
            }
        }
        inventory = Self.inventory(plan, decoded: decoded)
    }

    // MARK: Patching

    /// What a patch touched besides the sorted lists.
    private struct Touched {
        var gateways = false
        var problems = false
        /// A kind of object the patch does not place (settings, Gateway API objects).
        var unplaced = false
    }

    private mutating func patch(_ id: EntryID, old: Decoded?, new: Decoded?) {
        guard var patched = inventory else { return }
        inventory = nil  // the lists are changed in place, not copied
        var touched = Touched()
        if let old { remove(old, id, from: &patched, &touched) }
        if let new { insert(new, id, into: &patched, &touched) }
        if touched.unplaced {
            rebuild()
            return
        }
        if touched.gateways { patched.gateways = gateways(services: patched.services) }
        if touched.problems {
            patched.problems = problems.flatMap { kindProblems in kindProblems.sorted { $0.key < $1.key }.map(\.value) }
        }
        inventory = patched
    }

    private mutating func remove(_ decoded: Decoded, _ id: EntryID, from inventory: inout Inventory, _ touched: inout Touched) {
        switch decoded {
        case .ignored: break
        case .problem:
            problems[id.kind][id.key] = nil
            touched.problems = true
        case .object(let object):
            switch object {
            case .project(let o): inventory.projects.removeSorted(o) { SortKey($0.name) }
            case .node(let o): inventory.nodes.removeSorted(o) { SortKey($0.name) }
            case .service(let o):
                inventory.services.removeSorted(o) { SortKey($0.namespace, $0.name) }
                if servesGateway(o) { touched.gateways = true }
            case .endpoints:
                let index = endpointOrder.lowerBound(id)
                if index < endpointOrder.count, endpointOrder[index] == id {
                    endpointOrder.remove(at: index)
                    inventory.endpoints.remove(at: index)
                }
            case .secret(let o): inventory.secrets.removeSorted(o) { SortKey($0.namespace, $0.name) }
            case .route(let o): inventory.routes.removeSorted(o) { SortKey($0.namespace, $0.name) }
            case .addressPool(let o): inventory.addressPools.removeSorted(o) { SortKey($0.name) }
            case .gateway, .routerDeployment:
                gatewayParts[id] = nil
                touched.gateways = true
            case .settings, .gatewayAPI: touched.unplaced = true
            }
        }
    }

    private mutating func insert(_ decoded: Decoded, _ id: EntryID, into inventory: inout Inventory, _ touched: inout Touched) {
        switch decoded {
        case .ignored: break
        case .problem(let problem):
            problems[id.kind][id.key] = problem
            touched.problems = true
        case .object(let object):
            switch object {
            case .project(let o): inventory.projects.insertSorted(o) { SortKey($0.name) }
            case .node(let o): inventory.nodes.insertSorted(o) { SortKey($0.name) }
            case .service(let o):
                inventory.services.insertSorted(o) { SortKey($0.namespace, $0.name) }
                if servesGateway(o) { touched.gateways = true }
            case .endpoints(let o):
                let index = endpointOrder.lowerBound(id)
                endpointOrder.insert(id, at: index)
                inventory.endpoints.insert(o, at: index)
            case .secret(let o): inventory.secrets.insertSorted(o) { SortKey($0.namespace, $0.name) }
            case .route(let o): inventory.routes.insertSorted(o) { SortKey($0.namespace, $0.name) }
            case .addressPool(let o): inventory.addressPools.insertSorted(o) { SortKey($0.name) }
            case .gateway, .routerDeployment:
                gatewayParts[id] = object
                touched.gateways = true
            case .settings, .gatewayAPI: touched.unplaced = true
            }
        }
    }

    /// Whether a gateway is merged with `service`: a router Service lives in the gateway
    /// namespace, and a Gateway CR's Service has the CR's namespace and name.
    private func servesGateway(_ service: BackendService) -> Bool {
        service.namespace == plan.settings.gatewayNamespace || gatewayParts.values.contains { part in
            if case .gateway(let gateway) = part { return gateway.namespace == service.namespace && gateway.name == service.name }
            return false
        }
    }

    /// The gateways merged again from their parts and Services, as a whole assembly merges them.
    private func gateways(services: [BackendService]) -> [Gateway] {
        let parts = gatewayParts.sorted { $0.key < $1.key }.map(\.value)
        let relevant = services.filter(servesGateway).map(KubeObject.service)
        return ClusterReader.assemble(objects: [.settings(plan.settings)] + parts + relevant, problems: []).gateways
    }
}

/// The order `Inventory(objects:)` sorts a list in: by name, or by namespace and name.
private struct SortKey: Comparable {
    var first: String
    var second: String

    init(_ first: String, _ second: String = "") {
        self.first = first
        self.second = second
    }

    static func < (a: SortKey, b: SortKey) -> Bool { (a.first, a.second) < (b.first, b.second) }
}

extension Array {
    /// Removes `element` from a list sorted by `key`, if it is there.
    fileprivate mutating func removeSorted(_ element: Element, key: (Element) -> SortKey) where Element: Equatable {
        let wanted = key(element)
        var index = lowerBound(wanted, key)
        while index < count, key(self[index]) == wanted {
            if self[index] == element {
                remove(at: index)
                return
            }
            index += 1
        }
    }

    /// Inserts `element` into a list sorted by `key`, after any element of the same key.
    fileprivate mutating func insertSorted(_ element: Element, key: (Element) -> SortKey) {
        let wanted = key(element)
        var low = lowerBound(wanted, key)
        while low < count, key(self[low]) == wanted { low += 1 }
        insert(element, at: low)
    }

    private func lowerBound(_ wanted: SortKey, _ key: (Element) -> SortKey) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if key(self[middle]) < wanted { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Array where Element: Comparable {
    fileprivate func lowerBound(_ wanted: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

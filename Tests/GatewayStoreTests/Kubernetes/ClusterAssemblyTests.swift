import GatewayKit
@testable import GatewayStore
import Testing

/// The watches' inventory is patched object by object; after any list or event it must be
/// what a whole assembly of the same objects gives (`ClusterReader.inventory`, the load
/// without watches), field for field.
@Suite("Kubernetes store: the watches' inventory, patched per event")
struct ClusterAssemblyTests {
    @Test("every kind of event, on each gateway flavour, leaves the inventory a whole assembly would give", arguments: [GatewayFlavor.gatewayCRD, .legacyRouter])
    func patchesEqualAssembly(flavor: GatewayFlavor) throws {
        var world = World(flavor: flavor)
        var assembly = ClusterAssembly(plan: world.plan)
        for kind in world.plan.kinds.indices {
            #expect(assembly.inventory == nil, "complete before every kind was listed")
            assembly.replace(kind, with: world.entries(kind))
        }
        try world.expectSame(assembly, after: "the first lists")
        #expect(assembly.inventory?.routes.count == world.count(of: .ingresses))
        var random = SplitMix(seed: flavor == .gatewayCRD ? 1 : 2)
        for step in 0..<400 {
            let event = world.randomEvent(&random)
            if let (kind, key, entry) = event.single {
                assembly.apply(kind, key: key, entry)
            } else if let kind = event.relisted {
                assembly.replace(kind, with: world.entries(kind))
            }
            try world.expectSame(assembly, after: "step \(step): \(event.description)")
        }
    }

    @Test("a relist that changes most objects assembles again, and equals a whole assembly")
    func largeRelist() throws {
        var world = World(flavor: .gatewayCRD)
        var assembly = ClusterAssembly(plan: world.plan)
        for kind in world.plan.kinds.indices { assembly.replace(kind, with: world.entries(kind)) }
        let ingresses = try #require(world.plan.kinds.firstIndex { $0.resource == .ingresses })
        for index in 0..<(ClusterAssembly.patchLimit + 10) { world.put(ingresses, World.route("bulk\(index)", host: "bulk\(index).example.com", version: 500 + index)) }
        assembly.replace(ingresses, with: world.entries(ingresses))
        try world.expectSame(assembly, after: "a relist of many new Ingresses")
    }
}

/// The objects of a test cluster, kind by kind, as the server sends them, and the events
/// that change them.
private struct World {
    let plan: ClusterCache.Plan
    private var items: [[String: ManifestValue]]
    private var version = 100

    init(flavor: GatewayFlavor) {
        var settings = WorkspaceSettings()
        settings.gatewayFlavor = flavor
        plan = ClusterCache.Plan(
            kinds: ClusterReader.listed(ClusterReader.Discovery(flavor: flavor, servesEips: true), settings: settings), settings: settings)
        items = Array(repeating: [:], count: plan.kinds.count)
        var objects: [KubeObject] = [.project(Project(name: Gateway.defaultNamespace))]
        for object in DemoWorkspace.objects() {
            if case .gateway(let gateway) = object { objects += ManifestRenderer.gatewayObjects(gateway, flavor: flavor) } else { objects.append(object) }
        }
        for object in objects {
            guard let kind = plan.kinds.firstIndex(where: { $0.resource == APIResource.of(object) }) else { continue }
            put(kind, ObjectCodec.encode(object))
        }
    }

    func entries(_ kind: Int) -> [String: ClusterAssembly.Entry] {
        ClusterAssembly.entries(Array(items[kind].values), kind: plan.kinds[kind], settings: plan.settings)
    }

    func count(of resource: APIResource) -> Int { items[plan.kinds.firstIndex { $0.resource == resource }!].count }

    mutating func put(_ kind: Int, _ value: ManifestValue) {
        var value = value
        version += 1
        value.set(["metadata", "resourceVersion"], .string(String(version)))
        items[kind][ClusterAssembly.key(value)] = value
    }

    func expectSame(_ assembly: ClusterAssembly, after what: String) throws {
        let patched = try #require(assembly.inventory, "no inventory after \(what)")
        let sorted = items.map { kind in kind.sorted { $0.key < $1.key }.map(\.value) }
        let whole = ClusterReader.inventory(plan, items: sorted, warnings: [])
        guard patched != whole else { return }
        let fields: [(String, Bool)] = [
            ("projects", patched.projects == whole.projects), ("nodes", patched.nodes == whole.nodes),
            ("services", patched.services == whole.services), ("endpoints", patched.endpoints == whole.endpoints),
            ("secrets", patched.secrets == whole.secrets), ("routes", patched.routes == whole.routes),
            ("gateways", patched.gateways == whole.gateways), ("addressPools", patched.addressPools == whole.addressPools),
            ("problems", patched.problems == whole.problems), ("settings", patched.settings == whole.settings),
        ]
        Issue.record("after \(what), the patched inventory differs in \(fields.filter { !$0.1 }.map(\.0))")
    }

    static func route(_ name: String, namespace: String = "demo", host: String, version: Int) -> ManifestValue {
        var route = Route(
            metadata: ObjectMeta(name: name, namespace: namespace),
            rules: [RouteRule(host: host, paths: [RoutePath(path: "/", pathType: .prefix, backend: RouteBackend(service: "web", port: 80))])])
        route.metadata.resourceVersion = String(version)
        return ObjectCodec.encode(.route(route))
    }

    struct Event: CustomStringConvertible {
        var single: (Int, String, ClusterAssembly.Entry?)?
        var relisted: Int?
        var description: String
    }

    /// One random change, already made to `items`: an object added, changed, broken or
    /// deleted, of any kind (gateway Services and CRs among them), or a kind listed again.
    mutating func randomEvent(_ random: inout SplitMix) -> Event {
        let kind = Int(random.next() % UInt64(plan.kinds.count))
        let resource = plan.kinds[kind].resource
        let keys = items[kind].keys.sorted()
        let choice = random.next() % 10
        if choice == 0 {
            // A relist: some objects changed, one gone, one new, meanwhile.
            if let key = keys.first { items[kind][key] = nil }
            if resource == .ingresses { put(kind, Self.route("relisted\(version)", host: "r\(version).example.com", version: 0)) }
            if let key = keys.last, let value = items[kind][key] { put(kind, value) }
            return Event(relisted: kind, description: "relist of \(resource.plural)")
        }
        if choice <= 2, let key = keys.randomElement(using: &random) {
            items[kind][key] = nil
            return Event(single: (kind, key, nil), description: "DELETED \(resource.plural) \(key)")
        }
        var value: ManifestValue
        if choice <= 5 || keys.isEmpty {
            value = resource == .ingresses || keys.isEmpty
                ? Self.route("r\(version)", namespace: ["demo", "shop", "edge"][Int(random.next() % 3)], host: "r\(version).example.com", version: 0)
                : items[kind][keys.randomElement(using: &random)!]!
            if resource != .ingresses, !keys.isEmpty {
                // Another object of the kind: the same one under a new name.
                value.set(["metadata", "name"], .string("copy\(version)"))
            } else if resource != .ingresses {
                return Event(relisted: kind, description: "no objects of \(resource.plural) to copy")
            }
        } else {
            value = items[kind][keys.randomElement(using: &random)!]!
            if choice == 6 {
                // Broken: a field of the wrong type is a problem of the object.
                value.set(["metadata", "labels"], .string("not a map"))
            } else {
                value.set(["metadata", "annotations", "changed"], .string("\(version)"))
                if resource == .services, case .list(var ports)? = value["spec"]?["ports"], !ports.isEmpty {
                    ports[0].set(["nodePort"], .int(30000 + version % 2000))
                    value.set(["spec", "ports"], .list(ports))
                }
            }
        }
        put(kind, value)
        let key = ClusterAssembly.key(value)
        let stored = items[kind][key]!
        let entry = ClusterAssembly.Entry(
            value: stored, decoded: ClusterAssembly.decode(stored, kind: plan.kinds[kind], settings: plan.settings))
        return Event(single: (kind, key, entry), description: "MODIFIED \(resource.plural) \(key)")
    }
}

/// A small seeded generator, so that a failing sequence can be run again.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

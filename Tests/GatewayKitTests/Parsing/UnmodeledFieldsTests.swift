@testable import GatewayKit
import Testing
import TestSupport

/// `ManifestMerge.unmodeled` takes a kind's owned fields off in one pass over a tree of
/// them; it must give what taking them off one path at a time gives (the rule it states:
/// a map the removal leaves empty goes too, one that was empty stays).
@Suite("Unmodelled fields in one pass")
struct UnmodeledFieldsTests {
    /// The path-at-a-time removal, as the rule reads.
    static func removingOneByOne(_ paths: [[String]], from value: ManifestValue) -> ManifestValue {
        paths.reduce(value) { rest, path in removing(path[...], from: rest) }
    }

    static func removing(_ path: ArraySlice<String>, from value: ManifestValue) -> ManifestValue {
        guard let key = path.first, case .map(var fields) = value, let index = fields.firstIndex(where: { $0.key == key })
        else { return value }
        if path.count == 1 {
            fields.remove(at: index)
        } else {
            let child = removing(path.dropFirst(), from: fields[index].value)
            if case .map(let rest) = child, rest.isEmpty, case .map(let before) = fields[index].value, !before.isEmpty {
                fields.remove(at: index)
            } else {
                fields[index].value = child
            }
        }
        return .map(fields)
    }

    /// Keys the owned paths use, and others.
    static let keys = [
        "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "finalizers", "spec", "rules",
        "tls", "ports", "type", "status", "loadBalancer", "controller", "replicas", "config", "service", "deployment",
        KubeSphereAnnotation.governance, "futureField",
    ]

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> ManifestValue {
        switch Int.random(in: 0..<(depth >= 4 ? 3 : 6), using: &generator) {
        case 0: return .string("x")
        case 1: return .int(7)
        case 2: return .map([])
        case 3: return .list([.string("a"), .map([ManifestField("name", .string("b"))])])
        default:
            let chosen = keys.shuffled(using: &generator).prefix(Int.random(in: 1...5, using: &generator))
            return .map(chosen.map { ManifestField($0, randomValue(depth: depth + 1, using: &generator)) })
        }
    }

    @Test("equals the path-at-a-time removal for every kind, over 3,000 random manifests")
    func onePassEqualsOneByOne() {
        var generator = SeededGenerator(seed: 15)
        for round in 0..<3_000 {
            let manifest = Self.randomValue(depth: 0, using: &generator)
            for kind in ["Ingress", "Service", "Gateway", "Namespace"] {
                let expected = Self.removingOneByOne(ManifestMerge.ownedPaths(kind: kind), from: manifest)
                #expect(ManifestMerge.unmodeled(manifest, kind: kind) == expected, "round \(round), \(kind): \(manifest)")
            }
        }
    }

    @Test("a manifest kgate wrote has nothing unmodelled; unknown fields stay in their order")
    func writtenAndUnknown() {
        let route = Route(
            metadata: ObjectMeta(name: "web", namespace: "demo", labels: ["a": "b"]),
            rules: [RouteRule(host: "web.example.com", paths: [RoutePath(path: "/", backend: RouteBackend(service: "web", port: 80))])])
        #expect(StoredManifest(unmodeledOf: ManifestValue(.route(route)), kind: "Ingress").value == nil)
        let manifest = ManifestValue.map([
            ManifestField("kind", .string("Ingress")),
            ManifestField("metadata", .map([ManifestField("name", .string("web")), ManifestField("finalizers", .list([.string("f")]))])),
            ManifestField("spec", .map([ManifestField("rules", .list([])), ManifestField("futureField", .int(1))])),
            ManifestField("status", .map([])),
        ])
        #expect(
            ManifestMerge.unmodeled(manifest, kind: "Ingress")
                == .map([
                    ManifestField("metadata", .map([ManifestField("finalizers", .list([.string("f")]))])),
                    ManifestField("spec", .map([ManifestField("futureField", .int(1))])),
                    ManifestField("status", .map([])),
                ]))
    }
}

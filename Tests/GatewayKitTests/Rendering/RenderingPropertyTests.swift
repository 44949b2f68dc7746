import Foundation
import GatewayKit
import TestSupport
import Testing

@Suite("Hostile data renders inert")
struct RenderingPropertyTests {
    @Test("hostile strings in every field of every kind read back exactly", arguments: 0..<8)
    func hostileRoundTrip(_ batch: Int) {
        for seed in 0..<25 {
            var models = HostileModels(seed: UInt64(batch * 1000 + seed))
            assertRoundTrip(models.objects())
        }
    }

    @Test("every hostile word as a YAML scalar reads back as that string in Yams and JSON")
    func hostileScalars() throws {
        for word in HostileModels.words where !word.hasPrefix("\u{FEFF}") {
            let yaml = "key: \(YAMLScalar.render(word))\n"
            let loaded = try Yams_load(yaml)
            #expect(loaded == .map(["key": .string(word)]), "YAML \(yaml.debugDescription)")
            let json = JSONEmitter.document(.map([ManifestField("key", .string(word))]))
            #expect(try Plain.fromJSON(json) == .map(["key": .string(word)]), "JSON \(json.debugDescription)")
        }
    }

    @Test("known limit: YAML read through Yams loses a leading U+FEFF; JSON keeps it")
    func leadingByteOrderMark() {
        let object = KubeObject.project(Project(metadata: ObjectMeta(name: "\u{FEFF}demo")))
        let fromYAML = ManifestParser.parse(ManifestRenderer.yaml([object]), source: "t")
        #expect(fromYAML.objects.map(\.name) == ["demo"])
        let fromJSON = ManifestParser.parse(ManifestRenderer.json([object]), source: "t")
        #expect(fromJSON.objects == [object])
    }

    @Test("a key longer than YAML's implicit-key limit still reads back")
    func longKeys() {
        let key = String(repeating: "k", count: 2000)
        var route = Samples.route
        route.metadata.annotations[key] = "v"
        route.metadata.labels[key + ": #"] = String(repeating: "v", count: 5000)
        assertRoundTrip([.route(route)])
    }
}

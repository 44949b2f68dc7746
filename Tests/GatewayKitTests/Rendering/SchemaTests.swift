import ChildProcess
import Foundation
import GatewayKit
import Testing

/// The rendered built-in kinds against the official Kubernetes JSON schemas, offline, with
/// the PyPI package `kubernetes-validate` in strict mode (unknown fields refused).
/// CI installs it with `pip install kubernetes-validate==1.37.0`; without it this test
/// fails and says so. (Gateway and Eip are CRDs: the package has no schema for them.)
@Suite("Official Kubernetes schemas")
struct SchemaTests {
    static let versions = ["1.25.0", "1.29.0", "1.33.0"]

    static var objects: [(String, KubeObject)] {
        var list: [(String, KubeObject)] = Samples.objects.compactMap { object -> (String, KubeObject)? in
            switch object {
            case .gateway, .addressPool: return nil
            case .route(var route):
                // The sample keeps a path with no pathType (the model allows it, for
                // validation to report); a route that validation passes has one.
                for rule in route.rules.indices {
                    for path in route.rules[rule].paths.indices where route.rules[rule].paths[path].pathType == nil {
                        route.rules[rule].paths[path].pathType = .implementationSpecific
                    }
                }
                return ("ingress", .route(route))
            default: return (object.kind.lowercased(), object)
            }
        }
        for flavor in GatewayFlavor.allCases {
            for (index, object) in ManifestRenderer.gatewayObjects(Samples.gateway, flavor: flavor).enumerated()
            where object.kind != "Gateway" {
                list.append(("gateway-\(flavor.rawValue.lowercased())-\(index)", object))
            }
        }
        return list
    }

    @Test("Namespace, Node, Service, EndpointSlice, Secret, Ingress, Deployment, ConfigMap pass --strict",
          arguments: versions)
    func strict(_ version: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kgate-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (name, object) in Self.objects {
            for (format, text) in [("yaml", ManifestRenderer.yaml([object])), ("json", ManifestRenderer.json([object]))] {
                let url = directory.appendingPathComponent("\(name).\(format)")
                try Data(text.utf8).write(to: url)
                files.append(url.path)
            }
        }
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(validator(["--strict", "--no-warn", "-k", version] + files), timeout: 300)
        } catch {
            Issue.record("kubernetes-validate is not installed (scripts/test installs it): \(error)")
            return
        }
        #expect(outcome.succeeded, "kubernetes-validate -k \(version) --strict refused:\n\(outcome)")
    }

    /// `kubernetes-validate` (from PATH), its output and errors captured for the message.
    private func validator(_ arguments: [String]) -> ChildCommand {
        var command = ChildCommand("kubernetes-validate", arguments)
        command.standardOutput = .capture
        command.standardError = .capture
        return command
    }
}

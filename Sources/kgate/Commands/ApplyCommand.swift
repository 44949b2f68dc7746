import ArgumentParser
import Foundation
import GatewayKit

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Add or update objects from a file of manifests (multi-document YAML or JSON).",
        discussion: """
            Kinds: Namespace, Node, Service, EndpointSlice, Secret (kubernetes.io/tls), Ingress, \
            Gateway (gateway.kubesphere.io/v1alpha1), Eip (network.kubesphere.io/v1alpha2); \
            Gateway API Gateway and HTTPRoute (gateway.networking.k8s.io/v1) and ReferenceGrant \
            (v1beta1 or v1), checked by the API's rules and stored whole. \
            Nothing is written unless every object is accepted.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The file, or - for standard input.", valueName: "file"))
    var filename: String

    func run() async throws {
        let objects = try readManifests(filename)
        let store = try await global.openStore()
        let outcomes = try await perform { () async throws(StoreError) in try await store.apply(objects) }
        // One write for every line: an apply of 10,000 objects is not 10,000 system calls.
        if !outcomes.isEmpty { emit(outcomes.map { "\($0.reference) \($0.action.rawValue)" }.joined(separator: "\n")) }
    }
}

/// Reads and parses a manifest file (or standard input); any problem refuses the whole file.
func readManifests(_ filename: String) throws -> [KubeObject] {
    let text: String
    if filename == "-" {
        text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    } else {
        guard let data = FileManager.default.contents(atPath: filename) else {
            throw Refusal("cannot read \(filename)")
        }
        text = String(decoding: data, as: UTF8.self)
    }
    let (objects, problems) = ManifestParser.parse(text, source: filename)
    guard problems.isEmpty else {
        throw Refusal(problems.map(\.description).joined(separator: "\n") + "\nnothing was applied")
    }
    guard !objects.isEmpty else { throw Refusal("\(filename) holds no objects") }
    return objects
}

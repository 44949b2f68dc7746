import ChildProcess
import Foundation
import Glibc
import Testing
import TestSupport

/// Two operators on one workspace, and writers killed mid-write.
@Suite("Workspace durability", .serialized)
struct DurabilityTests {
    let folder: TemporaryFolder
    var workspace: String { folder.workspace }

    init() throws { folder = try TemporaryFolder.withDemoWorkspace("durable") }

    @Test("concurrent gateway sets from separate processes never share a node port nor lose a write")
    func concurrentGateways() async throws {
        let projects = (1...6).map { "p\($0)" }
        let namespaces = projects.map { "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \($0)\n" }.joined(separator: "---\n")
        #expect(try KGateProcess.run(["apply", "-f", "-", "--workspace", workspace], input: namespaces).status == 0)
        let workspace = self.workspace
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for project in projects {
                group.addTask {
                    try KGateProcess.run(["gateway", "set", project, "--type", "NodePort", "--workspace", workspace]).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 0, count: projects.count))
        var ports: [Int] = []
        for project in projects + ["shop"] {
            let show = try KGateProcess.run(["gateway", "show", project, "-o", "json", "--workspace", workspace])
            let value = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
            ports += (value?["ports"] as? [[String: Any]] ?? []).compactMap { $0["nodePort"] as? Int }
        }
        #expect(ports.count == 14)
        #expect(Set(ports).count == 14)
    }

    @Test("concurrent route creations from two processes all land")
    func concurrentRoutes() async throws {
        let workspace = self.workspace
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for writer in ["a", "b"] {
                group.addTask {
                    var worst: Int32 = 0
                    for i in 0..<6 {
                        let result = try KGateProcess.run([
                            "route", "create", "demo", "\(writer)\(i)", "--rule", "\(writer)\(i).example.com/=web:8080",
                            "--workspace", workspace,
                        ])
                        worst = max(worst, result.status)
                    }
                    return worst
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [0, 0])
        let routes = try KGateProcess.run(["routes", "demo", "-o", "json", "--workspace", workspace])
        let list = try JSONSerialization.jsonObject(with: Data(routes.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.count == 13)
        let versions = list.compactMap { $0["resourceVersion"] as? String }
        #expect(Set(versions).count == 13)
    }

    @Test("SIGKILL at any moment of a write leaves every object as it was or as it was meant to be")
    func killedWriters() throws {
        try killWriters(routes: 6, prefix: "s", versions: 12, killWithinMicroseconds: 5_000...180_000)
    }

    /// Applies of many objects are made durable together (one sync for the batch): a kill
    /// between the writes, the sync and the renames still leaves each object old or new.
    @Test("SIGKILL at any moment of a batched apply of 60 and of 800 routes leaves every object old or new")
    func killedBatchWriters() throws {
        try killWriters(routes: 60, prefix: "m", versions: 8, killWithinMicroseconds: 5_000...180_000)
        try killWriters(routes: 800, prefix: "l", versions: 6, killWithinMicroseconds: 20_000...1_500_000)
    }

    /// Applies `versions` files of `count` routes named `prefix`0… in turn, each writer
    /// killed at a random moment within `killWithin`; after each, every route is at one of
    /// the versions applied.
    func killWriters(routes count: Int, prefix: String, versions: Int, killWithinMicroseconds killWithin: ClosedRange<UInt32>) throws {
        func manifest(version: Int) -> String {
            (0..<count).map { i in
                """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: \(prefix)\(i)
                  namespace: demo
                  annotations:
                    kubesphere.io/alias-name: v\(version)
                spec:
                  rules:
                  - host: \(prefix)\(i).example.com
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port:
                              number: 8080

                """
            }.joined(separator: "---\n")
        }
        var generator = SystemRandomNumberGenerator()
        for version in 0..<versions {
            try folder.write("\(prefix)\(version).yaml", manifest(version: version))
            var command = ChildCommand(KGateProcess.binary, ["apply", "-f", folder.file("\(prefix)\(version).yaml"), "--workspace", workspace])
            command.standardError = .null
            let writer = try ChildProcess.start(command)
            // The point of the test is a kill at an arbitrary moment of the write.
            usleep(UInt32.random(in: killWithin, using: &generator))
            writer.signal(SIGKILL)
            #expect(writer.wait(timeout: 30) != nil, "the killed writer did not end")

            let routes = try KGateProcess.run(["routes", "demo", "-o", "json", "--workspace", workspace])
            #expect(routes.status == 0, "\(routes)")
            #expect(!routes.stderr.contains("warning"), "a file was left broken: \(routes.stderr)")
            let list = try JSONSerialization.jsonObject(with: Data(routes.stdout.utf8)) as? [[String: Any]] ?? []
            for route in list where (route["name"] as? String)?.hasPrefix(prefix) == true {
                let alias = route["alias"] as? String ?? ""
                let written = Int(alias.dropFirst()) ?? -1
                #expect((0...version).contains(written), "route \(route["name"] ?? "") has alias \(alias)")
            }
        }
        // The next write sweeps what killed writers left behind.
        #expect(try KGateProcess.run(["gateway", "set", "demo", "--type", "NodePort", "--workspace", workspace]).status == 0)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: workspace).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

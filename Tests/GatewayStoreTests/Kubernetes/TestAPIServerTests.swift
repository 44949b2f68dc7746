import Foundation
import GatewayKit
import Testing
import TestSupport

/// The test API server on its own, spoken to over HTTP: the Kubernetes semantics kgate's
/// tests rely on, checked against what the API reference says rather than against kgate.
@Suite("Test API server speaks the Kubernetes API")
struct TestAPIServerTests {
    // MARK: Validation

    @Test("a bad Service is 422 Invalid with the API server's causes, naming each field")
    func invalidService() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let answer = try await client.send("POST", "/api/v1/namespaces/demo/services", body: """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"Web_"},
             "spec":{"type":"Cluster","ports":[{"name":"http","port":0},{"name":"http","port":80,"protocol":"HTTP"}]}}
            """)
        #expect(answer.status == 422)
        let status = answer.json
        #expect(status["kind"] == .string("Status") && status["reason"] == .string("Invalid") && status["code"] == .int(422))
        #expect(status["details"]?["kind"] == .string("Service") && status["details"]?["name"] == .string("Web_"))
        let causes = Self.causes(status)
        #expect(causes["metadata.name"]?.hasPrefix("Invalid value: \"Web_\": a DNS-1035 label must consist of") == true, "\(causes)")
        #expect(causes["spec.type"] == "Unsupported value: \"Cluster\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")
        #expect(causes["spec.ports[0].port"] == "Invalid value: 0: must be between 1 and 65535, inclusive")
        #expect(causes["spec.ports[1].name"] == "Duplicate value: \"http\"")
        #expect(causes["spec.ports[1].protocol"]?.hasPrefix("Unsupported value: \"HTTP\"") == true)
        #expect(server.cluster.object(TestResource.services, namespace: "demo", name: "Web_") == nil)
    }

    @Test("a bad Ingress is 422: an IP host, a relative path, no pathType, a backend without port")
    func invalidIngress() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let answer = try await client.send("POST", "/apis/networking.k8s.io/v1/namespaces/demo/ingresses", body: """
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"bad"},
             "spec":{"rules":[{"host":"192.168.0.1","http":{"paths":[
               {"path":"api","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}},
               {"path":"/","backend":{"service":{"name":"web","port":{"number":70000}}}},
               {"path":"/x","pathType":"Exact","backend":{"service":{"name":"web","port":{}}}}]}}]}}
            """)
        #expect(answer.status == 422)
        #expect(answer.json["message"]?.text?.hasPrefix("Ingress.networking.k8s.io \"bad\" is invalid: [") == true, "\(answer.body)")
        let causes = Self.causes(answer.json)
        #expect(causes["spec.rules[0].host"] == "Invalid value: \"192.168.0.1\": must be a DNS name, not an IP address")
        #expect(causes["spec.rules[0].http.paths[0].path"] == "Invalid value: \"api\": must be an absolute path")
        #expect(causes["spec.rules[0].http.paths[1].pathType"] == "Required value: pathType must be specified")
        #expect(causes["spec.rules[0].http.paths[1].backend.service.port.number"] == "Invalid value: 70000: must be between 1 and 65535, inclusive")
        #expect(causes["spec.rules[0].http.paths[2].backend"] == "Required value: port name or number is required")
    }

    @Test("labels and annotations are checked as qualified names and label values")
    func invalidMetadata() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let answer = try await client.send("POST", "/api/v1/namespaces/demo/configmaps", body: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"app":"web","bad key":"ok","tier":"-x"},
             "annotations":{"kubesphere.io/alias-name":"Any text: fine","a/b/c":"1"}}}
            """)
        #expect(answer.status == 422)
        let causes = (answer.json["details"]?["causes"]?.items ?? []).map { "\($0["field"]?.text ?? ""): \($0["message"]?.text ?? "")" }
        #expect(causes.count == 3, "\(causes)")
        #expect(causes.contains { $0.hasPrefix("metadata.labels: Invalid value: \"bad key\": name part must consist of") })
        #expect(causes.contains { $0.hasPrefix("metadata.labels: Invalid value: \"-x\": a valid label must be an empty string") })
        #expect(causes.contains { $0.hasPrefix("metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of") })
    }

    // MARK: Services

    @Test("Services are defaulted as the API server does, and keep what it allocated on update")
    func serviceDefaults() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let created = try await client.send("POST", "/api/v1/namespaces/demo/services", body: """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"type":"NodePort","ports":[{"name":"http","port":80},{"name":"https","port":443,"targetPort":"https"}]}}
            """)
        #expect(created.status == 201, "\(created.body)")
        let spec = try #require(created.json["spec"])
        let clusterIP = try #require(spec["clusterIP"]?.text)
        #expect(clusterIP.hasPrefix("10.233.") && spec["clusterIPs"] == .list([.string(clusterIP)]))
        #expect(spec["sessionAffinity"] == .string("None") && spec["externalTrafficPolicy"] == .string("Cluster"))
        #expect(spec["ipFamilies"] == .list([.string("IPv4")]) && spec["ipFamilyPolicy"] == .string("SingleStack"))
        let ports = spec["ports"]?.items ?? []
        #expect(ports.map { $0["protocol"] } == [.string("TCP"), .string("TCP")])
        #expect(ports.map { $0["targetPort"] } == [.int(80), .string("https")])
        let nodePorts = TestCluster.nodePortsByName(created.json)
        #expect(nodePorts.count == 2 && nodePorts.values.allSatisfy { (30000...32767).contains($0) })

        // A PUT that leaves out the cluster IP and node ports keeps them (patchAllocatedValues).
        let version = created.json["metadata"]?["resourceVersion"]?.text ?? ""
        let replaced = try await client.send("PUT", "/api/v1/namespaces/demo/services/web", body: """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","resourceVersion":"\(version)"},
             "spec":{"type":"LoadBalancer","ports":[{"name":"http","port":80},{"name":"https","port":443}]}}
            """)
        #expect(replaced.status == 200, "\(replaced.body)")
        #expect(replaced.json["spec"]?["clusterIP"] == .string(clusterIP) && TestCluster.nodePortsByName(replaced.json) == nodePorts)
        #expect(replaced.json["spec"]?["allocateLoadBalancerNodePorts"] == .bool(true))
        // Back to ClusterIP with the node ports carried over: the server drops them.
        let back = try await client.patch(
            "/api/v1/namespaces/demo/services/web", #"{"spec":{"type":"ClusterIP"}}"#, type: .merge)
        #expect(back.status == 200, "\(back.body)")
        #expect(TestCluster.nodePortsByName(back.json).isEmpty && back.json["spec"]?["externalTrafficPolicy"] == nil)
        // A changed cluster IP is refused.
        let moved = try await client.patch("/api/v1/namespaces/demo/services/web", #"{"spec":{"clusterIP":"10.233.63.1"}}"#, type: .merge)
        #expect(moved.status == 422 && Self.causes(moved.json)["spec.clusterIPs[0]"] == "Invalid value: \"10.233.63.1\": may not change once set")
    }

    @Test("node ports: random in the range, never a taken one; a taken or out-of-range one is 422")
    func nodePortAllocator() async throws {
        let (server, client) = try await Self.start { $0.nodePortRange = 30000...30004 }
        defer { Task { await server.stop() } }
        let first = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("one", ports: [nil, nil]))
        #expect(first.status == 201, "\(first.body)")
        let taken = Set(TestCluster.nodePorts(first.json))
        let claim = try #require(taken.first)
        let clash = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("two", ports: [claim]))
        #expect(clash.status == 422)
        #expect(Self.causes(clash.json) == ["spec.ports[0].nodePort": "Invalid value: \(claim): provided port is already allocated"])
        let outside = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("two", ports: [31000]))
        #expect(Self.causes(outside.json)["spec.ports[0].nodePort"]
            == "Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30004")
        // The three ports left go to the next Service, none of them one already held.
        let second = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("two", ports: [nil, nil, nil]))
        #expect(second.status == 201, "\(second.body)")
        let given = Set(TestCluster.nodePorts(second.json))
        #expect(given.count == 3 && given.isDisjoint(with: taken) && given.union(taken) == Set(30000...30004))
        let full = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("three", ports: [nil]))
        #expect(full.status == 422 && Self.causes(full.json)["spec.ports[0].nodePort"]?.contains("range is full") == true)
        // A ClusterIP Service may not name one.
        let clusterIP = try await client.send("POST", "/api/v1/namespaces/demo/services", body: """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"plain"},"spec":{"ports":[{"port":80,"nodePort":30001}]}}
            """)
        #expect(Self.causes(clusterIP.json)["spec.ports[0].nodePort"] == "Forbidden: may not be used when `type` is 'ClusterIP'")
    }

    @Test("node ports are picked at random, not in order")
    func nodePortsAreRandom() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        var ports: [Int] = []
        for index in 0..<4 {
            let answer = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("s\(index)", ports: [nil, nil]))
            ports += TestCluster.nodePortsByName(answer.json).sorted { $0.key < $1.key }.map(\.value)
        }
        #expect(Set(ports).count == 8)
        // Eight ports counting up from the range's start would be an allocator in order.
        #expect(ports != Array(30000..<30008) && ports.contains { $0 > 30100 }, "\(ports)")
    }

    // MARK: Status subresource

    @Test("the Gateway CRD's status subresource: status ignored on the object, only status through /status")
    func statusSubresource() async throws {
        let (server, client) = try await Self.start { try TestKubeSphereSeeds.ensureNamespace("kubesphere-controls-system", in: $0) }
        defer { Task { await server.stop() } }
        let path = "/apis/gateway.kubesphere.io/v1alpha1/namespaces/kubesphere-controls-system/gateways"
        let created = try await client.send("POST", path, body: """
            {"apiVersion":"gateway.kubesphere.io/v1alpha1","kind":"Gateway","metadata":{"name":"kubesphere-router-demo"},
             "spec":{"service":{"type":"NodePort"}},"status":{"conditions":[{"type":"Deployed","status":"True"}]}}
            """)
        #expect(created.status == 201 && created.json["status"] == nil, "\(created.body)")
        #expect(created.json["metadata"]?["generation"] == .int(1))
        let one = "\(path)/kubesphere-router-demo"
        let patched = try await client.patch(one, #"{"spec":{"service":{"type":"LoadBalancer"}},"status":{"phase":"Fake"}}"#, type: .merge)
        #expect(patched.json["spec"]?["service"]?["type"] == .string("LoadBalancer") && patched.json["status"] == nil)
        #expect(patched.json["metadata"]?["generation"] == .int(2))
        let status = try await client.patch("\(one)/status", #"{"spec":{"service":{"type":"ClusterIP"}},"status":{"phase":"Ready"}}"#, type: .merge)
        #expect(status.status == 200, "\(status.body)")
        #expect(status.json["status"]?["phase"] == .string("Ready") && status.json["spec"]?["service"]?["type"] == .string("LoadBalancer"))
        #expect(status.json["metadata"]?["generation"] == .int(2))
        var whole = status.json
        whole.set(["status", "phase"], .string("Overwritten"))
        whole.set(["spec", "deployment", "replicas"], .int(3))
        let put = try await client.send("PUT", one, body: JSONEmitter.document(whole))
        #expect(put.json["status"]?["phase"] == .string("Ready") && put.json["spec"]?["deployment"]?["replicas"] == .int(3), "\(put.body)")
        let discovery = try await client.get("/apis/gateway.kubesphere.io/v1alpha1")
        #expect(discovery.json["resources"]?.items.contains { $0["name"] == .string("gateways/status") } == true)
        #expect(try await client.patch("/api/v1/namespaces/demo/services/x/status", "{}", type: .merge).status == 404)
    }

    // MARK: PATCH

    @Test("merge patch (RFC 7386): nulls remove, maps merge, lists replace; each write bumps the version and is watched")
    func mergePatch() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        _ = try await client.send("POST", "/api/v1/namespaces/demo/configmaps", body: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1","b":"2"}},"data":{"x":"1"}}
            """)
        let seen = WatchLines()
        let watch = TestWatch(resource: TestResource.configMaps, namespace: "demo", fieldSelector: [:], fromRevision: nil)
        let added = server.cluster.addWatcher(watch, send: { seen.append($0) }, close: {})
        let watcher = try #require(added)
        defer { server.cluster.removeWatcher(watcher) }
        let before = try await client.get("/api/v1/namespaces/demo/configmaps/c").json["metadata"]?["resourceVersion"]?.text
        let patched = try await client.patch(
            "/api/v1/namespaces/demo/configmaps/c", #"{"metadata":{"labels":{"a":null,"c":"3"}},"data":{"y":"2"}}"#, type: .merge)
        #expect(patched.json["metadata"]?["labels"] == .map([ManifestField("b", .string("2")), ManifestField("c", .string("3"))]))
        #expect(patched.json["data"] == .map([ManifestField("x", .string("1")), ManifestField("y", .string("2"))]))
        let after = try #require(patched.json["metadata"]?["resourceVersion"]?.text)
        #expect(Int(after)! > Int(before ?? "0")!)
        // The stale version is a precondition that fails.
        let stale = try await client.patch(
            "/api/v1/namespaces/demo/configmaps/c", #"{"metadata":{"resourceVersion":"\#(before ?? "")"},"data":{"z":"3"}}"#, type: .merge)
        #expect(stale.status == 409 && stale.json["reason"] == .string("Conflict"))
        let current = try await client.patch(
            "/api/v1/namespaces/demo/configmaps/c", #"{"metadata":{"resourceVersion":"\#(after)"},"data":{"z":"3"}}"#, type: .merge)
        #expect(current.status == 200)
        // A patch that changes nothing is no write: same version, no event.
        let same = try await client.patch("/api/v1/namespaces/demo/configmaps/c", #"{"data":{"z":"3"}}"#, type: .merge)
        #expect(same.json["metadata"]?["resourceVersion"] == current.json["metadata"]?["resourceVersion"])
        #expect(await eventually(10) { seen.lines.count == 3 }, "\(seen.lines)")
        let types = seen.lines.map { (try? JSONReader.read($0))?["type"]?.text ?? $0 }
        #expect(types == ["ADDED", "MODIFIED", "MODIFIED"], "\(seen.lines)")
        #expect(try await client.patch("/api/v1/namespaces/demo/configmaps/c", "{}", type: .merge).status == 200)
        let unknown = try await client.send("PATCH", "/api/v1/namespaces/demo/configmaps/c", body: "{}", contentType: "application/json")
        #expect(unknown.status == 415)
    }

    @Test("strategic merge patch merges Service ports by port and containers by name; json patch applies RFC 6902")
    func strategicAndJSONPatch() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        _ = try await client.send("POST", "/api/v1/namespaces/demo/services", body: Self.nodePortService("web", ports: [nil, nil]))
        let path = "/api/v1/namespaces/demo/services/web"
        let strategic = try await client.patch(path, #"{"spec":{"ports":[{"port":443,"nodePort":32443}]}}"#, type: .strategic)
        #expect(strategic.status == 200, "\(strategic.body)")
        let ports = strategic.json["spec"]?["ports"]?.items ?? []
        #expect(ports.count == 2 && ports[1]["nodePort"] == .int(32443) && ports[0]["name"] == .string("p0"))
        let removed = try await client.patch(path, #"{"spec":{"ports":[{"port":443,"$patch":"delete"}]}}"#, type: .strategic)
        #expect(removed.json["spec"]?["ports"]?.items.count == 1)
        let merge = try await client.patch(path, #"{"spec":{"ports":[{"name":"only","port":8080}]}}"#, type: .merge)
        #expect(merge.json["spec"]?["ports"]?.items.map { $0["port"] } == [.int(8080)])

        let json = try await client.patch(
            path, #"[{"op":"add","path":"/metadata/labels","value":{"app":"web"}},{"op":"replace","path":"/spec/ports/0/port","value":9090}]"#,
            type: .json)
        #expect(json.status == 200 && json.json["metadata"]?["labels"]?["app"] == .string("web"), "\(json.body)")
        #expect(json.json["spec"]?["ports"]?.items.first?["port"] == .int(9090))
        let failedTest = try await client.patch(path, #"[{"op":"test","path":"/spec/type","value":"ClusterIP"}]"#, type: .json)
        #expect(failedTest.status == 422)

        let deployment = "/apis/apps/v1/namespaces/demo/deployments"
        _ = try await client.send("POST", deployment, body: Self.deployment)
        let containers = try await client.patch(
            "\(deployment)/router", #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy"}]}}}}"#, type: .strategic)
        #expect(containers.json["spec"]?["template"]?["spec"]?["containers"]?.items.compactMap { $0["name"]?.text } == ["controller", "sidecar"])
    }

    @Test("server-side apply: fieldManager required, creates, records managedFields, removes what it no longer applies, conflicts")
    func serverSideApply() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let path = "/api/v1/namespaces/demo/configmaps/applied"
        let yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: applied
              annotations:
                owner: kgate
            data:
              a: "1"
              b: "2"

            """
        #expect(try await client.patch(path, yaml, type: .apply).status == 400)
        let created = try await client.patch("\(path)?fieldManager=kgate", yaml, type: .apply)
        #expect(created.status == 201, "\(created.body)")
        let managed = created.json["metadata"]?["managedFields"]?.items ?? []
        #expect(managed.count == 1 && managed[0]["manager"] == .string("kgate") && managed[0]["operation"] == .string("Apply"))
        #expect(managed[0]["fieldsV1"]?["f:data"]?["f:a"] == .map([]))
        // Another writer's field stays; the one kgate no longer applies goes.
        _ = try await client.patch("\(path)?fieldManager=console", #"{"data":{"c":"3"}}"#, type: .merge)
        let reapplied = try await client.patch("\(path)?fieldManager=kgate", """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1"}}
            """, type: .apply)
        #expect(reapplied.json["data"] == .map([ManifestField("a", .string("1")), ManifestField("c", .string("3"))]), "\(reapplied.body)")
        #expect(reapplied.json["metadata"]?["annotations"] == nil)
        // Setting a field another manager owns to another value is a conflict, unless forced.
        let taken = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1","c":"4"}}"#
        let conflict = try await client.patch("\(path)?fieldManager=kgate", taken, type: .apply)
        #expect(conflict.status == 409 && conflict.json["message"]?.text?.contains("conflict with \"console\"") == true, "\(conflict.body)")
        let forced = try await client.patch("\(path)?fieldManager=kgate&force=true", taken, type: .apply)
        #expect(forced.status == 200 && forced.json["data"]?["c"] == .string("4"))
        let stale = try await client.patch("\(path)?fieldManager=kgate", """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied","resourceVersion":"1"},"data":{"a":"1"}}
            """, type: .apply)
        #expect(stale.status == 409)
    }

    // MARK: Lists and deletes

    @Test("limit and continue page a list; a token from before a compaction is 410 Expired, a malformed one 400")
    func paging() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        for name in ["a", "b", "c"] {
            _ = try await client.send("POST", "/api/v1/namespaces/demo/configmaps", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"}}"#)
        }
        let first = try await client.get("/api/v1/namespaces/demo/configmaps?limit=2")
        #expect(first.json["items"]?.items.compactMap { $0["metadata"]?["name"]?.text } == ["a", "b"])
        let token = try #require(first.json["metadata"]?["continue"]?.text)
        let second = try await client.get("/api/v1/namespaces/demo/configmaps?limit=2&continue=\(token)")
        #expect(second.json["items"]?.items.compactMap { $0["metadata"]?["name"]?.text } == ["c"] && second.json["metadata"]?["continue"] == nil)
        server.cluster.modify(TestResource.configMaps, namespace: "demo", name: "a") { $0.set(["data", "k"], .string("v")) }
        server.cluster.compact()
        let expired = try await client.get("/api/v1/namespaces/demo/configmaps?limit=2&continue=\(token)")
        #expect(expired.status == 410 && expired.json["reason"] == .string("Expired"))
        #expect(try await client.get("/api/v1/namespaces/demo/configmaps?limit=2&continue=garbage").status == 400)
    }

    @Test("a delete with finalizers marks the object; emptying them removes it; preconditions are honoured")
    func finalizers() async throws {
        let (server, client) = try await Self.start()
        defer { Task { await server.stop() } }
        let path = "/api/v1/namespaces/demo/configmaps/held"
        _ = try await client.send("POST", "/api/v1/namespaces/demo/configmaps", body: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/keep"]}}
            """)
        let wrongUID = try await client.send("DELETE", path, body: #"{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"nope"}}"#)
        #expect(wrongUID.status == 409)
        let marked = try await client.send("DELETE", path)
        #expect(marked.status == 200 && marked.json["metadata"]?["deletionTimestamp"] != nil)
        #expect(try await client.get(path).status == 200)
        let released = try await client.patch(path, #"{"metadata":{"finalizers":null}}"#, type: .merge)
        #expect(released.status == 200)
        #expect(try await client.get(path).status == 404)
    }

    // MARK: Helpers

    static func start(_ configure: (TestCluster) throws -> Void = { _ in }) async throws -> (TestAPIServer, TestHTTPClient) {
        let cluster = TestCluster()
        try TestKubeSphereSeeds.ensureNamespace("demo", in: cluster)
        try configure(cluster)
        let server = try await TestAPIServer.start(cluster)
        return (server, TestHTTPClient(url: server.url))
    }

    /// `details.causes` as field → message.
    static func causes(_ status: ManifestValue) -> [String: String] {
        var result: [String: String] = [:]
        for cause in status["details"]?["causes"]?.items ?? [] {
            result[cause["field"]?.text ?? ""] = cause["message"]?.text ?? ""
        }
        return result
    }

    static func nodePortService(_ name: String, ports: [Int?]) -> String {
        let list = ports.enumerated().map { index, nodePort in
            #"{"name":"p\#(index)","port":\#(index == 1 ? 443 : 80 + index)\#(nodePort.map { ",\"nodePort\":\($0)" } ?? "")}"#
        }
        return #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"\#(name)"},"spec":{"type":"NodePort","ports":[\#(list.joined(separator: ","))]}}"#
    }

    static let deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"router"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"router"}},
          "template":{"metadata":{"labels":{"app":"router"}},"spec":{"containers":[{"name":"controller","image":"nginx"}]}}}}
        """
}

/// Watch lines as a test's watcher receives them.
final class WatchLines: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [String] = []

    func append(_ line: String) { lock.withLock { received.append(line) } }
    var lines: [String] { lock.withLock { received } }
}

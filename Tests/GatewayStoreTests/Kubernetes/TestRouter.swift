import GatewayKit
import GatewayStore

/// Routes a request to the test cluster as the API server does: authentication (401),
/// RBAC (403), discovery, and the REST verbs on `/api/v1` and `/apis/<group>/<version>`,
/// with `namespaces/<ns>/` in the path for namespaced kinds.
struct TestRouter: Sendable {
    let cluster: TestCluster

    func handle(_ request: TestRequest) -> TestResponse {
        // A client certificate the TLS layer verified is an authenticated user, as in Kubernetes.
        if request.user == nil, let token = cluster.expectedToken, request.authorization != "Bearer \(token)" {
            return .failure(.unauthorized)
        }
        if let legacy = TestLegacyAPI.handle(request, router: self) { return legacy }  // an older Kubernetes, when asked for
        let segments = request.path.split(separator: "/").map(String.init)
        switch segments.count {
        case 1 where segments[0] == "api":
            return .success(.map([ManifestField("kind", .string("APIVersions")), ManifestField("versions", .list([.string("v1")]))]))
        case 1 where segments[0] == "apis":
            return .success(groupList())
        case 2 where segments[0] == "api", 3 where segments[0] == "apis":
            return discovery(groupVersion: segments.dropFirst().joined(separator: "/"))
        default:
            break
        }
        let rest: ArraySlice<String>
        let groupVersion: String
        if segments.first == "api", segments.count >= 3 {
            groupVersion = segments[1]
            rest = segments.dropFirst(2)
        } else if segments.first == "apis", segments.count >= 4 {
            groupVersion = "\(segments[1])/\(segments[2])"
            rest = segments.dropFirst(3)
        } else {
            return .failure(TestStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        }
        var parts = Array(rest)
        var namespace = ""
        if parts.count >= 3, parts[0] == "namespaces" {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let plural = parts.first, parts.count <= 2,
            let resource = served().first(where: { $0.groupVersion == groupVersion && $0.plural == plural })
        else {
            return .failure(TestStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        }
        let name = parts.count == 2 ? parts[1] : nil
        let watching = request.query["watch"] == "1" || request.query["watch"] == "true"
        let verb = switch (request.method, name) {
        case ("GET", nil): watching ? "watch" : "list"
        case ("GET", _): "get"
        case ("POST", _): "create"
        case ("PUT", _): "update"
        case ("DELETE", _): "delete"
        case ("PATCH", _): "patch"
        default: request.method.lowercased()
        }
        // `[verb, plural, "cluster"]` refuses only the cluster-wide request, as a Role does.
        if cluster.forbidden.contains([verb, resource.plural])
            || (namespace.isEmpty && cluster.forbidden.contains([verb, resource.plural, "cluster"]))
        {
            return .failure(.forbidden(verb: verb, resource, name: name, namespace: namespace))
        }
        return perform(verb, resource, namespace: namespace, name: name, request: request)
    }

    private func perform(_ verb: String, _ resource: TestResource, namespace: String, name: String?, request: TestRequest) -> TestResponse {
        let selector = Self.selector(request.query["fieldSelector"])
        switch verb {
        case "watch":
            let from = request.query["resourceVersion"].flatMap { Int($0) }.flatMap { $0 == 0 ? nil : $0 }
            return .watch(TestWatch(
                resource: resource, namespace: namespace, fieldSelector: selector, fromRevision: from,
                timeoutSeconds: request.query["timeoutSeconds"].flatMap { Int($0) }))
        case "list":
            let (all, revision) = cluster.list(resource, namespace: namespace, fieldSelector: selector)
            // A page of `limit` (or the server's smaller page), from the offset the continue
            // token carries; a token the server "forgot" is 410 Expired, as after a compaction.
            var offset = 0
            if let token = request.query["continue"] {
                if cluster.takeExpiredContinue() { return .failure(TestStatus.gone(revision)) }
                offset = min(all.count, Int(token.split(separator: ":").last ?? "") ?? 0)
            }
            let size = min(request.query["limit"].flatMap { Int($0) } ?? Int.max, cluster.pageLimit ?? Int.max)
            let end = size >= all.count - offset ? all.count : offset + size
            let items = all[offset..<end]
            var metadata = [ManifestField("resourceVersion", .string(String(revision)))]
            if end < all.count { metadata.append(ManifestField("continue", .string("\(revision):\(end)"))) }
            // Items of a list carry no apiVersion and kind: the list does.
            let bare = items.map { item -> ManifestValue in
                guard case .map(let fields) = item else { return item }
                return .map(fields.filter { $0.key != "apiVersion" && $0.key != "kind" })
            }
            return .success(.map([
                ManifestField("kind", .string("\(resource.kind)List")), ManifestField("apiVersion", .string(resource.groupVersion)),
                ManifestField("metadata", .map(metadata)), ManifestField("items", .list(bare)),
            ]))
        case "get":
            return Self.answer(cluster.get(resource, namespace: namespace, name: name ?? ""))
        case "create", "update":
            guard let body = try? JSONReader.read(request.body) else { return .failure(.badRequest("the body is not JSON")) }
            guard body["kind"] == .string(resource.kind), body["apiVersion"] == .string(resource.groupVersion) else {
                return .failure(.badRequest("the body is not a \(resource.groupVersion) \(resource.kind)"))
            }
            if case .string(let inBody)? = body["metadata"]?["namespace"], resource.namespaced, inBody != namespace {
                return .failure(.badRequest("the namespace of the provided object does not match the namespace sent on the request"))
            }
            if verb == "create" {
                return Self.answer(cluster.createLocked(resource, namespace: namespace, body: body), created: true)
            }
            if case .string(let inBody)? = body["metadata"]?["name"], inBody != name {
                return .failure(.badRequest("the name of the object (\(inBody)) does not match the name on the URL (\(name ?? ""))"))
            }
            return Self.answer(cluster.update(resource, namespace: namespace, name: name ?? "", body: body))
        case "delete":
            return Self.answer(cluster.delete(resource, namespace: namespace, name: name ?? ""))
        case "patch":
            return patch(resource, namespace: namespace, name: name ?? "", request: request)
        default:
            return .failure(TestStatus(code: 405, reason: "MethodNotAllowed", message: "\(request.method) is not supported"))
        }
    }

    /// JSON merge patch (RFC 7386; kubectl's `--type=merge`, and strategic merge patch
    /// read the same way, which holds for maps), and server-side apply (`apply-patch+yaml`,
    /// a JSON body from kubectl): the applied object merged over the stored one, or created.
    /// Field ownership (managedFields) is not kept.
    private func patch(_ resource: TestResource, namespace: String, name: String, request: TestRequest) -> TestResponse {
        let type = request.header("Content-Type").first ?? ""
        guard let body = try? JSONReader.read(request.body) else { return .failure(.badRequest("the patch is not JSON")) }
        let stored = cluster.get(resource, namespace: namespace, name: name)
        if type.hasPrefix("application/apply-patch"), case .failure(let status) = stored, status.code == 404 {
            return Self.answer(cluster.createLocked(resource, namespace: namespace, body: body), created: true)
        }
        guard ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
            .contains(where: type.hasPrefix)
        else {
            return .failure(TestStatus(code: 415, reason: "UnsupportedMediaType", message: "the patch type \(type) is not supported"))
        }
        switch stored {
        case .failure(let status): return .failure(status)
        case .success(let object): return Self.answer(cluster.update(resource, namespace: namespace, name: name, body: Self.merged(object, body)))
        }
    }

    /// `patch` over `target`: maps merged key by key, null removing a key, anything else replacing.
    static func merged(_ target: ManifestValue, _ patch: ManifestValue) -> ManifestValue {
        guard case .map(let changes) = patch else { return patch }
        var result = target
        if case .map = target {} else { result = .map([]) }
        for change in changes {
            if change.value == .null, case .map(let fields) = result {
                result = .map(fields.filter { $0.key != change.key })
            } else {
                result.set(change.key, merged(result[change.key] ?? .null, change.value))
            }
        }
        return result
    }

    private func served() -> [TestResource] {
        TestResource.all.filter { resource in
            switch resource.group {
            case "gateway.kubesphere.io": cluster.servesGateways
            case "network.kubesphere.io": cluster.servesEips
            default: !cluster.notServed.contains(resource.plural)
            }
        }
    }

    private func groupList() -> ManifestValue {
        var seen = Set<String>()
        let groups = served().filter { !$0.group.isEmpty && seen.insert($0.group).inserted }.map { resource -> ManifestValue in
            let version = ManifestValue.map([
                ManifestField("groupVersion", .string(resource.groupVersion)), ManifestField("version", .string(resource.version)),
            ])
            return .map([
                ManifestField("name", .string(resource.group)), ManifestField("versions", .list([version])),
                ManifestField("preferredVersion", version),
            ])
        }
        return .map([ManifestField("kind", .string("APIGroupList")), ManifestField("apiVersion", .string("v1")), ManifestField("groups", .list(groups))])
    }

    private func discovery(groupVersion: String) -> TestResponse {
        let resources = served().filter { $0.groupVersion == groupVersion }
        guard !resources.isEmpty else {
            return .failure(TestStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource"))
        }
        return .success(.map([
            ManifestField("kind", .string("APIResourceList")), ManifestField("groupVersion", .string(groupVersion)),
            ManifestField("resources", .list(resources.map { resource in
                .map([
                    ManifestField("name", .string(resource.plural)), ManifestField("namespaced", .bool(resource.namespaced)),
                    ManifestField("kind", .string(resource.kind)),
                    ManifestField("verbs", .list(["create", "delete", "get", "list", "patch", "update", "watch"].map(ManifestValue.string))),
                ])
            })),
        ]))
    }

    private static func selector(_ text: String?) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for term in text.split(separator: ",") {
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }

    private static func answer(_ result: Result<ManifestValue, TestStatus>, created: Bool = false) -> TestResponse {
        switch result {
        case .success(let value): .json(status: created ? 201 : 200, body: JSONEmitter.document(value))
        case .failure(let status): .failure(status)
        }
    }
}

extension TestResponse {
    static func success(_ value: ManifestValue) -> TestResponse { .json(status: 200, body: JSONEmitter.document(value)) }
    static func failure(_ status: TestStatus) -> TestResponse { .json(status: status.code, body: JSONEmitter.document(status.body)) }
}

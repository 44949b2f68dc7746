import GatewayKit

/// The legacy gateway of KubeSphere 2.1–3.1: Service and Deployment
/// `kubesphere-router-<project>`, written as KubeSphere's router code writes them
/// (kubesphere/kubesphere v3.1 pkg/models/routers/routers.go):
///
/// - a change touches only the Service's type and annotations (governance is the
///   annotation `servicemesh.kubesphere.io/enabled`), the Deployment's replicas, its pods'
///   `sidecar.istio.io/inject`, and the controller's NodePort/LoadBalancer argument
///   (`--report-node-internal-ip-address` or `--publish-service=<ns>/<name>`), each as a
///   merge patch at the version read; image, probes, security context, finalizers and
///   everything else stay;
/// - a new gateway is made from KubeSphere's own template (ConfigMap
///   `kubesphere-system/ks-router-config`, which ks-apiserver mounts as its
///   ingress-controller folder) with `--watch-namespace=<project>` and
///   `--election-id=kubesphere-router-<project>`, and the image the cluster's other
///   routers run (so that an air-gapped registry prefix is kept).
struct LegacyRouter: Sendable {
    let reader: ClusterReader
    let writer: ClusterWriter

    static let templateNamespace = "kubesphere-system"
    static let templateName = "ks-router-config"
    static let controllerContainer = "nginx-ingress-controller"

    func write(_ gateway: Gateway, existing: Gateway?) async throws(StoreError) -> Gateway {
        let namespace = gateway.namespace
        let name = gateway.name
        let service: ManifestValue
        var deployment = try await writer.get(.deployments, namespace: namespace, name: name)
        if let existing {
            let patch = MergePatch.between(Self.serviceBody(existing), Self.serviceBody(gateway))
            service = try await writer.patch(
                .services, patch ?? .map([]), resourceVersion: existing.resourceVersion, namespace: namespace, name: name)
            if let stored = deployment {
                if let patch = Self.deploymentPatch(stored, gateway: gateway) {
                    deployment = try await writer.patch(
                        .deployments, patch, resourceVersion: ObjectCodec.resourceVersion(stored), namespace: namespace, name: name)
                }
            } else {
                deployment = try await createDeployment(gateway)
            }
        } else {
            if deployment == nil { deployment = try await createDeployment(gateway) }
            do {
                service = try await writer.create(.services, try await newService(gateway), namespace: namespace, name: name)
            } catch {
                // As KubeSphere does: no Deployment is left behind without its Service.
                _ = try? await writer.deleteIfPresent(.deployments, namespace: namespace, name: name)
                throw error
            }
        }
        var objects: [KubeObject] = [.settings(WorkspaceSettings(gatewayNamespace: namespace, gatewayFlavor: .legacyRouter))]
        if case .success(let object) = ObjectCodec.decode(service, as: .services) { objects.append(object) }
        if let deployment, case .success(let object) = ObjectCodec.decode(deployment, as: .deployments) { objects.append(object) }
        guard let stored = ClusterReader.assemble(objects: objects, problems: []).gateways.first else {
            throw .unavailable(reason: "Service \(namespace)/\(name): the server's answer is not a router Service")
        }
        return stored
    }

    /// The legacy Service as kgate renders it, for comparing two versions of a gateway.
    static func serviceBody(_ gateway: Gateway) -> ManifestValue {
        MergePatch.comparable(.service(GatewayObjects.service(gateway, flavor: .legacyRouter)))
    }

    /// The fields of a stored router Deployment that differ from what `gateway` needs;
    /// nil when none does. The containers list is the stored one with only the
    /// controller's arguments changed (a merge patch replaces lists whole).
    static func deploymentPatch(_ stored: ManifestValue, gateway: Gateway) -> ManifestValue? {
        var patch = ManifestValue.map([])
        if stored[path: ["spec", "replicas"]] != .int(gateway.replicas) {
            patch.set(path: ["spec", "replicas"], .int(gateway.replicas))
        }
        let inject = ManifestValue.string(gateway.governance ? "true" : "false")
        if stored[path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"]] != inject {
            patch.set(path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"], inject)
        }
        if case .list(var containers)? = stored[path: ["spec", "template", "spec", "containers"]], !containers.isEmpty {
            let index = containers.firstIndex { $0["name"] == .string(controllerContainer) } ?? 0
            var args: [String] = []
            if case .list(let values)? = containers[index]["args"] {
                args = values.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            }
            let wanted = exposure(args, gateway: gateway)
            if wanted != args {
                containers[index].set("args", .list(wanted.map(ManifestValue.string)))
                patch.set(path: ["spec", "template", "spec", "containers"], .list(containers))
            }
        }
        return patch == .map([]) ? nil : patch
    }

    /// The controller's arguments with the one NodePort/LoadBalancer argument the type
    /// needs: `--publish-service=<ns>/<name>` for LoadBalancer, else
    /// `--report-node-internal-ip-address`. Unchanged when already so. (KubeSphere's own
    /// update compared the prefixes the wrong way round and appended the argument again
    /// on every change; kgate removes the old one.)
    static func exposure(_ args: [String], gateway: Gateway) -> [String] {
        let wanted = gateway.type == .loadBalancer
            ? "--publish-service=\(gateway.namespace)/\(gateway.name)" : "--report-node-internal-ip-address"
        let isExposure: (String) -> Bool = { $0.hasPrefix("--publish-service") || $0 == "--report-node-internal-ip-address" }
        if args.filter(isExposure) == [wanted] { return args }
        return args.filter { !isExposure($0) } + [wanted]
    }

    // MARK: A new legacy gateway

    private func createDeployment(_ gateway: Gateway) async throws(StoreError) -> ManifestValue {
        let templates = try await self.templates()
        var body = templates.deployment ?? ObjectCodec.encode(.routerDeployment(GatewayObjects.deployment(gateway)))
        let image = try await siblingImage(excluding: gateway.name, namespace: gateway.namespace)
        body = Self.deployment(from: body, gateway: gateway, image: image)
        return try await writer.create(.deployments, body, namespace: gateway.namespace, name: gateway.name)
    }

    /// KubeSphere's Deployment template made the project's (`createOrUpdateRouterWorkload`).
    static func deployment(from template: ManifestValue, gateway: Gateway, image: String?) -> ManifestValue {
        var body = fresh(template, gateway: gateway)
        body.set("apiVersion", .string("apps/v1"))  // the v2.1 template says extensions/v1beta1
        body.set(path: ["spec", "replicas"], .int(gateway.replicas))
        body.set(path: ["spec", "selector", "matchLabels", "project"], .string(gateway.project))
        body.set(path: ["spec", "template", "metadata", "labels", "project"], .string(gateway.project))
        body.set(
            path: ["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"],
            .string(gateway.governance ? "true" : "false"))
        if case .list(var containers)? = body[path: ["spec", "template", "spec", "containers"]], !containers.isEmpty {
            var args: [String] = []
            if case .list(let values)? = containers[0]["args"] {
                args = values.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            }
            args = args.filter { !$0.hasPrefix("--watch-namespace") && !$0.hasPrefix("--election-id") }
            args += ["--watch-namespace=\(gateway.project)", "--election-id=\(gateway.name)"]
            containers[0].set("args", .list(exposure(args, gateway: gateway).map(ManifestValue.string)))
            if let image { containers[0].set("image", .string(image)) }
            body.set(path: ["spec", "template", "spec", "containers"], .list(containers))
        }
        return body
    }

    private func newService(_ gateway: Gateway) async throws(StoreError) -> ManifestValue {
        let rendered = Self.serviceBody(gateway)
        guard let template = try await templates().service else { return rendered }
        return Self.service(from: template, gateway: gateway)
    }

    /// KubeSphere's Service template made the project's (`createRouterService`): its
    /// annotations are the gateway's (with governance), its type the gateway's, label and
    /// selector `project`; node ports only where the operator chose them.
    static func service(from template: ManifestValue, gateway: Gateway) -> ManifestValue {
        var body = fresh(template, gateway: gateway)
        var annotations = gateway.annotations
        annotations[KubeSphereAnnotation.governance] = gateway.governance ? "true" : "false"
        body.set(path: ["metadata", "annotations"], ManifestValue.sortedStrings(annotations))
        body.set(path: ["metadata", "labels", "project"], .string(gateway.project))
        body.set(path: ["spec", "selector", "project"], .string(gateway.project))
        body.set(path: ["spec", "type"], .string(gateway.type.rawValue))
        if case .list(var ports)? = body[path: ["spec", "ports"]] {
            for index in ports.indices {
                guard case .string(let portName)? = ports[index]["name"],
                    let nodePort = gateway.port(named: portName)?.nodePort
                else { continue }
                ports[index].set("nodePort", .int(nodePort))
            }
            body.set(path: ["spec", "ports"], .list(ports))
        }
        return body
    }

    /// A template with the gateway's name and namespace and nothing a server stamped.
    private static func fresh(_ template: ManifestValue, gateway: Gateway) -> ManifestValue {
        var body = template
        for key in ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink"] {
            body.remove(path: ["metadata", key])
        }
        body.remove(path: ["status"])
        body.set(path: ["metadata", "name"], .string(gateway.name))
        body.set(path: ["metadata", "namespace"], .string(gateway.namespace))
        return body
    }

    /// The Service and Deployment of ConfigMap `kubesphere-system/ks-router-config`, each
    /// a YAML document in one of its keys; nil for one it lacks (or when the ConfigMap is
    /// not there, or not readable: kgate's own rendering then stands in).
    private func templates() async throws(StoreError) -> (service: ManifestValue?, deployment: ManifestValue?) {
        let configMap: ManifestValue?
        do {
            configMap = try await writer.get(.configMaps, namespace: Self.templateNamespace, name: Self.templateName)
        } catch {
            if case .forbidden = error { return (nil, nil) }
            throw error
        }
        guard case .map(let data)? = configMap?["data"] else { return (nil, nil) }
        var service: ManifestValue?
        var deployment: ManifestValue?
        for field in data.sorted(by: { $0.key < $1.key }) {
            guard case .string(let text) = field.value, let trees = ManifestParser.trees(text) else { continue }
            for tree in trees {
                switch tree.value["kind"] {
                case .string("Service")?: service = service ?? tree.value
                case .string("Deployment")?: deployment = deployment ?? tree.value
                default: continue
                }
            }
        }
        return (service, deployment)
    }

    /// The controller image of another router of the cluster (ks-installer set it, with
    /// the registry prefix of an air-gapped install), so that a new one runs the same.
    private func siblingImage(excluding name: String, namespace: String) async throws(StoreError) -> String? {
        let deployments: [ManifestValue]
        do {
            deployments = try await reader.list(.deployments, namespace: namespace, query: [("labelSelector", "app=kubesphere,component=ks-router")])
        } catch {
            if case .forbidden = error { return nil }
            throw error
        }
        let siblings = deployments.filter { item in
            guard case .string(let other)? = item[path: ["metadata", "name"]] else { return false }
            return other != name && other.hasPrefix(Gateway.name(project: ""))
                && item[path: ["metadata", "labels", "component"]] == .string("ks-router")
        }
        for sibling in siblings {
            guard case .list(let containers)? = sibling[path: ["spec", "template", "spec", "containers"]] else { continue }
            let controller = containers.first { $0["name"] == .string(Self.controllerContainer) } ?? containers.first
            if case .string(let image)? = controller?["image"], !image.isEmpty { return image }
        }
        return nil
    }
}

import Foundation
import GatewayKit

/// KubeSphere's controllers as they act on gateways, emulated against a `TestCluster`
/// (on per cluster with `kubeSphereControllers`; `reconcile()` is what one pass does).
///
/// v3.2+ (Gateway CRD): ks-controller-manager runs a Helm operator
/// (kubesphere/kubesphere `pkg/controller/helm/helm_controller.go`, built on
/// operator-framework/helm-operator-plugins `pkg/reconciler`) for each Gateway CR in the
/// gateway namespace. Its chart (`config/gateway/templates/nginx-ingress.yaml`) renders an
/// ingress-nginx release (chart 4.0.13) with `fullnameOverride: <CR name>`, whose Service
/// and Deployment `kubesphere-router-<project>` carry Helm's ownership metadata. KubeSphere
/// goes through a second CR (`Nginx kubesphere-router-<project>-ingress`) and a second
/// release; the emulation folds the two into one release named
/// `kubesphere-router-<project>-ingress` (the name the objects' annotations carry) whose
/// status is written on the Gateway CR.
///
/// What one reconcile does, for each Gateway CR:
/// - adds the finalizer `uninstall-helm-release`; a CR being deleted is uninstalled (its
///   Service and Deployment deleted) and the finalizer removed;
/// - refuses to adopt a Service or Deployment that lacks Helm's ownership metadata for the
///   release (Helm's `checkOwnership`, `pkg/action/validate.go`): the CR's status then says
///   `ReleaseFailed` with Helm's message, and nothing is written;
/// - otherwise creates or updates them by Helm's three-way merge: the fields the chart
///   renders (type, annotations from `spec.service.annotations`, replicas from
///   `spec.deployment.replicas`, labels, ports but not node ports) are put back whatever
///   anyone changed; fields the chart does not render (node ports, others' annotations)
///   are kept; fields it rendered last time and no longer renders are removed;
/// - writes `status.conditions` (`Initialized`, `Deployed`, `ReleaseFailed`,
///   `Irreconcilable`, as helm-operator-plugins names them) and `status.deployedRelease`
///   through the status subresource.
/// Releases whose CR is gone (deleted without the finalizer) are uninstalled too.
struct TestKubeSphereControllers: Sendable {
    let cluster: TestCluster

    static let defaultGatewayNamespace = "kubesphere-controls-system"
    static let finalizer = "uninstall-helm-release"
    /// The field manager of the Helm operator's writes.
    static let manager = "ks-controller-manager"
    static let chart = "ingress-nginx-4.0.13"
    static let appVersion = "1.1.0"
    static let image = "kubesphere/nginx-ingress-controller:v1.1.0"

    static func releaseName(gateway: String) -> String { "\(gateway)-ingress" }

    /// The gateway namespace: `gateway.namespace` of `kubesphere.yaml` in ConfigMap
    /// `kubesphere-system/kubesphere-config` (`pkg/apiserver/config`), else the default.
    func gatewayNamespace() -> String {
        guard let config = cluster.object(TestResource.configMaps, namespace: "kubesphere-system", name: "kubesphere-config"),
            let text = config["data"]?["kubesphere.yaml"]?.text,
            let tree = ManifestParser.trees(text)?.first?.value,
            let namespace = tree["gateway"]?["namespace"]?.text, !namespace.isEmpty
        else { return Self.defaultGatewayNamespace }
        return namespace
    }

    /// One pass of the Helm operator over every Gateway CR and every release.
    func reconcile() {
        let namespace = gatewayNamespace()
        let gateways = cluster.list(TestResource.gateways, namespace: namespace, fieldSelector: [:]).items
        for gateway in gateways { reconcile(gateway, namespace: namespace) }
        // Releases whose CR is gone: what Helm installed goes with them. Only installed
        // releases: an object that merely carries a release's ownership annotations (as
        // KubeSphere's upgrade patches the legacy Service before it creates the CR, in
        // pkg/models/gateway/gateways.go) belongs to no release yet, and stays.
        let live = Set(gateways.compactMap { $0["metadata"]?["name"]?.text }.map { Self.releaseName(gateway: $0) })
        for resource in [TestResource.services, TestResource.deployments] {
            for object in cluster.list(resource, namespace: namespace, fieldSelector: [:]).items {
                guard let release = object["metadata"]?["annotations"]?["meta.helm.sh/release-name"]?.text,
                    object["metadata"]?["labels"]?["app.kubernetes.io/managed-by"] == .string("Helm"),
                    release.hasSuffix("-ingress"), !live.contains(release), cluster.releaseManifests(release) != nil
                else { continue }
                uninstall(release: release, namespace: namespace)
            }
        }
    }

    /// Reconciles every `interval` until the task is cancelled, as the Helm operator does
    /// on its reconcile period (a minute by default in `helm_controller.go`). The caller
    /// cancels the task and awaits it, so that nothing runs after its test.
    func reconcilePeriodically(every interval: Duration) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                reconcile()
            }
        }
    }

    private func reconcile(_ gateway: ManifestValue, namespace: String) {
        guard let name = gateway["metadata"]?["name"]?.text else { return }
        let release = Self.releaseName(gateway: name)
        if gateway["metadata"]?["deletionTimestamp"] != nil {
            uninstall(release: release, namespace: namespace)
            let finalizers = (gateway["metadata"]?["finalizers"]?.items ?? []).filter { $0 != .string(Self.finalizer) }
            _ = cluster.patch(
                TestResource.gateways, namespace: namespace, name: name, kind: .merge,
                body: .map([ManifestField("metadata", .map([ManifestField("finalizers", .list(finalizers))]))]), manager: Self.manager)
            return
        }
        if !(gateway["metadata"]?["finalizers"]?.items ?? []).contains(.string(Self.finalizer)) {
            _ = cluster.patch(
                TestResource.gateways, namespace: namespace, name: name, kind: .strategic,
                body: .map([ManifestField("metadata", .map([ManifestField("finalizers", .list([.string(Self.finalizer)]))]))]),
                manager: Self.manager)
        }
        let rendered = [
            (TestResource.services, Self.renderedService(gateway, namespace: namespace)),
            (TestResource.deployments, Self.renderedDeployment(gateway, namespace: namespace)),
        ]
        let installed = cluster.releaseManifests(release) != nil
        // Helm checks every object before it writes any.
        for (resource, _) in rendered {
            guard let live = cluster.object(resource, namespace: namespace, name: name) else { continue }
            let problems = Self.ownershipProblems(live, release: release, namespace: namespace)
            if !problems.isEmpty {
                let message = (installed ? "" : "rendered manifests contain a resource that already exists. Unable to continue with install: ")
                    + "\(resource.kind) \"\(name)\" in namespace \"\(namespace)\" exists and cannot be imported into the current release: "
                    + (["invalid ownership metadata"] + problems).joined(separator: "; ")
                setStatus(name, namespace: namespace, release: release, failure: message, installed: installed)
                return
            }
        }
        var failures: [String] = []
        for (resource, object) in rendered {
            let original = cluster.releaseManifests(release)?[resource.plural]
            if case .failure(let status) = write(resource, object, original: original, namespace: namespace) { failures.append(status.message) }
        }
        if let failure = failures.first {
            setStatus(name, namespace: namespace, release: release, failure: failure, installed: installed)
            return
        }
        cluster.setReleaseManifests(release, Dictionary(uniqueKeysWithValues: rendered.map { ($0.0.plural, $0.1) }))
        setStatus(name, namespace: namespace, release: release, failure: nil, installed: installed)
    }

    /// Create, or Helm's three-way merge: `rendered` over the live object, minus what the
    /// last release rendered and this one does not.
    private func write(_ resource: TestResource, _ rendered: ManifestValue, original: ManifestValue?, namespace: String) -> Result<ManifestValue, TestStatus> {
        let name = rendered["metadata"]?["name"]?.text ?? ""
        guard cluster.object(resource, namespace: namespace, name: name) != nil else {
            return cluster.createLocked(resource, namespace: namespace, body: rendered, manager: Self.manager)
        }
        let patch = Self.threeWayPatch(original: original ?? .map([]), modified: rendered)
        return cluster.patch(resource, namespace: namespace, name: name, kind: .strategic, body: patch, manager: Self.manager).map { $0.object }
    }

    /// `modified`, plus a null for each map key `original` had and `modified` dropped.
    static func threeWayPatch(original: ManifestValue, modified: ManifestValue) -> ManifestValue {
        guard case .map(var fields) = modified, case .map(let before) = original else { return modified }
        for field in before {
            if let index = fields.firstIndex(where: { $0.key == field.key }) {
                fields[index].value = threeWayPatch(original: field.value, modified: fields[index].value)
            } else {
                fields.append(ManifestField(field.key, .null))
            }
        }
        return .map(fields)
    }

    private func uninstall(release: String, namespace: String) {
        for resource in [TestResource.services, TestResource.deployments] {
            for object in cluster.list(resource, namespace: namespace, fieldSelector: [:]).items
            where object["metadata"]?["annotations"]?["meta.helm.sh/release-name"] == .string(release) {
                _ = cluster.delete(resource, namespace: namespace, name: object["metadata"]?["name"]?.text ?? "")
            }
        }
        cluster.setReleaseManifests(release, nil)
    }

    /// helm-operator-plugins' conditions, written through `/status`.
    private func setStatus(_ name: String, namespace: String, release: String, failure: String?, installed: Bool) {
        let condition: (String, String, String, String) -> ManifestValue = { type, status, reason, message in
            var fields = [
                ManifestField("type", .string(type)), ManifestField("status", .string(status)),
                ManifestField("lastTransitionTime", .string("2026-11-27T12:00:00Z")),
            ]
            if !reason.isEmpty { fields.append(ManifestField("reason", .string(reason))) }
            if !message.isEmpty { fields.append(ManifestField("message", .string(message))) }
            return .map(fields)
        }
        var conditions = [condition("Initialized", "True", "", "")]
        if let failure {
            conditions += [
                condition("Deployed", "False", "", ""),
                condition("ReleaseFailed", "True", installed ? "UpgradeError" : "InstallError", failure),
                condition("Irreconcilable", "True", "ReconcileError", failure),
            ]
        } else {
            conditions += [
                condition("Deployed", "True", installed ? "UpgradeSuccessful" : "InstallSuccessful", "The ingress-nginx controller has been installed."),
                condition("ReleaseFailed", "False", "", ""),
                condition("Irreconcilable", "False", "", ""),
            ]
        }
        var status: [ManifestField] = [ManifestField("conditions", .list(conditions))]
        if failure == nil || installed {
            status.append(ManifestField("deployedRelease", .map([ManifestField("name", .string(release)), ManifestField("manifest", .string(""))])))
        }
        _ = cluster.patch(
            TestResource.gateways, namespace: namespace, name: name, kind: .merge,
            body: .map([ManifestField("status", .map(status))]), manager: Self.manager, subresource: "status")
    }

    /// Helm's `checkOwnership`: what is missing or wrong, in Helm's words.
    static func ownershipProblems(_ object: ManifestValue, release: String, namespace: String) -> [String] {
        let require: (String, ManifestValue?, String, String) -> String? = { kind, map, key, wanted in
            guard let value = map?[key]?.text else { return "\(kind) validation error: missing key \"\(key)\": must be set to \"\(wanted)\"" }
            return value == wanted ? nil : "\(kind) validation error: key \"\(key)\" must equal \"\(wanted)\": current value is \"\(value)\""
        }
        let metadata = object["metadata"]
        return [
            require("label", metadata?["labels"], "app.kubernetes.io/managed-by", "Helm"),
            require("annotation", metadata?["annotations"], "meta.helm.sh/release-name", release),
            require("annotation", metadata?["annotations"], "meta.helm.sh/release-namespace", namespace),
        ].compactMap { $0 }
    }

    // MARK: What the chart renders (ingress-nginx 4.0.13 with KubeSphere's values)

    static func labels(release: String) -> ManifestValue {
        .map([
            ManifestField("app.kubernetes.io/component", .string("controller")),
            ManifestField("app.kubernetes.io/instance", .string(release)),
            ManifestField("app.kubernetes.io/managed-by", .string("Helm")),
            ManifestField("app.kubernetes.io/name", .string("ingress-nginx")),
            ManifestField("app.kubernetes.io/version", .string(appVersion)),
            ManifestField("helm.sh/chart", .string(chart)),
        ])
    }

    static func selector(release: String) -> ManifestValue {
        .map([
            ManifestField("app.kubernetes.io/component", .string("controller")),
            ManifestField("app.kubernetes.io/instance", .string(release)),
            ManifestField("app.kubernetes.io/name", .string("ingress-nginx")),
        ])
    }

    private static func metadata(name: String, namespace: String, release: String, annotations: ManifestValue?) -> ManifestValue {
        var helm = [
            ManifestField("meta.helm.sh/release-name", .string(release)),
            ManifestField("meta.helm.sh/release-namespace", .string(namespace)),
        ]
        helm.insert(contentsOf: annotations?.fields ?? [], at: 0)
        return .map([
            ManifestField("name", .string(name)), ManifestField("namespace", .string(namespace)),
            ManifestField("labels", labels(release: release)), ManifestField("annotations", .map(helm)),
        ])
    }

    /// `controller-service.yaml`: type from `spec.service.type`, annotations from
    /// `spec.service.annotations`, ports http/https to the named container ports, no
    /// node ports (the chart's `nodePorts` are empty: Kubernetes picks them).
    static func renderedService(_ gateway: ManifestValue, namespace: String) -> ManifestValue {
        let name = gateway["metadata"]?["name"]?.text ?? ""
        let release = releaseName(gateway: name)
        let type = gateway["spec"]?["service"]?["type"]?.text ?? "NodePort"
        let port: (String, Int) -> ManifestValue = { portName, number in
            .map([
                ManifestField("name", .string(portName)), ManifestField("port", .int(number)), ManifestField("protocol", .string("TCP")),
                ManifestField("targetPort", .string(portName)), ManifestField("appProtocol", .string(portName)),
            ])
        }
        return .map([
            ManifestField("apiVersion", .string("v1")), ManifestField("kind", .string("Service")),
            ManifestField("metadata", metadata(name: name, namespace: namespace, release: release, annotations: gateway["spec"]?["service"]?["annotations"])),
            ManifestField("spec", .map([
                ManifestField("type", .string(type)), ManifestField("ports", .list([port("http", 80), port("https", 443)])),
                ManifestField("selector", selector(release: release)),
            ])),
        ])
    }

    /// `controller-deployment.yaml`: replicas from `spec.deployment.replicas`, the
    /// Deployment's annotations from `spec.deployment.annotations`, and the pods'
    /// `sidecar.istio.io/inject` from its governance annotation.
    static func renderedDeployment(_ gateway: ManifestValue, namespace: String) -> ManifestValue {
        let name = gateway["metadata"]?["name"]?.text ?? ""
        let release = releaseName(gateway: name)
        let project = gateway["spec"]?["controller"]?["scope"]?["namespace"]?.text ?? ""
        let replicas: Int = if case .int(let count)? = gateway["spec"]?["deployment"]?["replicas"] { count } else { 1 }
        let annotations = gateway["spec"]?["deployment"]?["annotations"]
        var podMetadata = [ManifestField("labels", selector(release: release))]
        if let governance = annotations?["servicemesh.kubesphere.io/enabled"] {
            podMetadata.append(ManifestField("annotations", .map([ManifestField("sidecar.istio.io/inject", governance)])))
        }
        var arguments = [
            "/nginx-ingress-controller", "--election-id=ingress-controller-leader-\(name)", "--controller-class=k8s.io/ingress-nginx",
            "--configmap=$(POD_NAMESPACE)/\(name)", "--watch-ingress-without-class=true",
        ]
        if !project.isEmpty { arguments.append("--watch-namespace=\(project)") }
        if gateway["spec"]?["service"]?["type"]?.text == "LoadBalancer" { arguments.append("--publish-service=$(POD_NAMESPACE)/\(name)") }
        let container = ManifestValue.map([
            ManifestField("name", .string("controller")),
            ManifestField("image", .string(gateway["spec"]?["controller"]?["image"]?["repository"]?.text.map { "\($0):\(gateway["spec"]?["controller"]?["image"]?["tag"]?.text ?? "v\(appVersion)")" } ?? image)),
            ManifestField("args", .list(arguments.map(ManifestValue.string))),
            ManifestField("ports", .list([("http", 80), ("https", 443), ("metrics", 10254)].map { portName, number in
                .map([ManifestField("name", .string(portName)), ManifestField("containerPort", .int(number)), ManifestField("protocol", .string("TCP"))])
            })),
        ])
        return .map([
            ManifestField("apiVersion", .string("apps/v1")), ManifestField("kind", .string("Deployment")),
            ManifestField("metadata", metadata(name: name, namespace: namespace, release: release, annotations: annotations)),
            ManifestField("spec", .map([
                ManifestField("replicas", .int(replicas)),
                ManifestField("selector", .map([ManifestField("matchLabels", selector(release: release))])),
                ManifestField("template", .map([
                    ManifestField("metadata", .map(podMetadata)),
                    ManifestField("spec", .map([
                        ManifestField("serviceAccountName", .string(name)), ManifestField("containers", .list([container])),
                    ])),
                ])),
            ])),
        ])
    }
}
